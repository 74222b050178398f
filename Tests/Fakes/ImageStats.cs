using SkiaSharp;

namespace PerfTools.Tests.Fakes;

/// <summary>What a PNG holds, roughly: its size, the share of pixels that are not (near) white and how many distinct
/// colours it has; enough to tell a rendered page or chart from a blank one (STYLE habit 10: smoke checks for pictures).</summary>
public sealed record ImageStats(int Width, int Height, double NonWhiteShare, int DistinctColours)
{
    /// <summary>A channel at or above this reads as white (anti-aliasing leaves near-white fringes).</summary>
    private const byte White = 245;

    /// <exception cref="ArgumentException">The bytes are not an image SkiaSharp decodes.</exception>
    public static ImageStats Of(byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        using var bitmap = SKBitmap.Decode(png) ?? throw new ArgumentException("not a decodable image", nameof(png));
        SKColor[] pixels = bitmap.Pixels;
        int nonWhite = pixels.Count(p => p.Alpha > 0 && (p.Red < White || p.Green < White || p.Blue < White));
        return new ImageStats(bitmap.Width, bitmap.Height, pixels.Length == 0 ? 0 : (double)nonWhite / pixels.Length, pixels.Distinct().Count());
    }

    /// <summary>At least <paramref name="minNonWhiteShare"/> of the pixels are not white and there are more than
    /// <paramref name="minColours"/> colours: text, lines and a chart, not an empty or one-colour page.</summary>
    public bool IsNotBlank(double minNonWhiteShare = 0.02, int minColours = 8) =>
        NonWhiteShare >= minNonWhiteShare && DistinctColours > minColours;

    public override string ToString() => System.FormattableString.Invariant(
        $"{Width}×{Height} px, {NonWhiteShare:P1} not white, {DistinctColours} colours");
}
