using PerfTools.Shared.Reports.Analyzer;
using ScottPlot;
using SkiaSharp;

namespace PerfTools.Shared.Reports;

/// <summary>What every chart of the toolkit does the same way: one font, panels drawn side by side on one canvas,
/// and a title across the top.</summary>
internal static class ChartCanvas
{
    private static readonly Lock FontLock = new();

    /// <summary>ScottPlot's font is process-wide; set it once, and only when the family is there (without any font,
    /// text silently vanishes, so <see cref="PerformanceChart.IsFontInstalled"/> is what tests check).</summary>
    public static void UseFont()
    {
        lock (FontLock)
        {
            if (Fonts.Default != PerformanceChart.FontFamily && PerformanceChart.IsFontInstalled())
            {
                Fonts.Default = PerformanceChart.FontFamily;
            }
        }
    }

    /// <summary>A white <paramref name="width"/> × <paramref name="height"/> canvas in the charts' font, drawn on by
    /// <paramref name="draw"/>, as PNG bytes.</summary>
    public static byte[] RenderPng(int width, int height, Action<SKCanvas> draw)
    {
        UseFont();
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException("SkiaSharp could not create a surface");
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        draw(canvas);
        canvas.Flush();
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>A plot's render clears the whole canvas to its figure background; the clip keeps it to its own panel.</summary>
    public static void RenderInto(SKCanvas canvas, Plot plot, PixelRect rect)
    {
        canvas.Save();
        canvas.ClipRect(rect.ToSKRect());
        plot.Render(canvas, rect);
        canvas.Restore();
    }

    /// <summary>A bold title centred in the top <paramref name="height"/> pixels; a long one (a long base URL) shrinks
    /// rather than being cut off.</summary>
    public static void DrawTitle(SKCanvas canvas, string title, float height, float size = 20)
    {
        using var typeface = SKTypeface.FromFamilyName(Fonts.Default, SKFontStyle.Bold);
        using var font = new SKFont(typeface, size);
        var room = canvas.DeviceClipBounds.Width - 20f;
        var width = font.MeasureText(title);
        if (width > room)
        {
            font.Size *= room / width;
        }

        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText(title, canvas.DeviceClipBounds.Width / 2f, height * 0.65f, SKTextAlign.Center, font, paint);
    }
}
