using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace PerfTools.Shared.Reports.Detector;

/// <summary>Draws <c>bottleneck_report_*.png</c>: p95 by route as bars with the slow threshold as a line, and memory
/// over the window below it; a panel without data says why in the panel.</summary>
public sealed class DetectorChart
{

    public int Width { get; init; } = 1400;

    public int Height { get; init; } = 900;

    public byte[] RenderPng(DetectorChartData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        // ScottPlot formats tick labels in the current culture; a chart must read the same on a de-DE machine (habit 7).
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            return Render(data);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    public void WriteFile(string path, DetectorChartData data)
    {
        var png = RenderPng(data);
        AtomicFile.Write(path, stream => stream.Write(png));
    }

    private byte[] Render(DetectorChartData data) => ChartCanvas.RenderPng(Width, Height, canvas =>
    {
        const float titleHeight = 56;
        var half = (Height - titleHeight) / 2;
        using var latency = data.P95ByRoute.Count > 0 ? LatencyPlot(data) : NoDataPlot("p95 latency by route", data.NoLatencyText);
        using var memory = data.Memory.Count > 0 ? MemoryPlot(data) : NoDataPlot("Memory over the window", data.NoMemoryText);
        ChartCanvas.RenderInto(canvas, latency, new PixelRect(0, Width, titleHeight + half, titleHeight));
        ChartCanvas.RenderInto(canvas, memory, new PixelRect(0, Width, Height, titleHeight + half));
        ChartCanvas.DrawTitle(canvas, data.Title, titleHeight);
    });

    private static Plot NoDataPlot(string title, string message)
    {
        var plot = new Plot();
        plot.HideAxesAndGrid();
        var text = plot.Add.Text(message, 0, 0);
        text.LabelFontSize = 24;
        text.LabelAlignment = Alignment.MiddleCenter;
        text.LabelFontColor = Colors.DimGray;
        plot.Axes.SetLimits(-1, 1, -1, 1);
        plot.Title(title);
        return plot;
    }

    private static Plot LatencyPlot(DetectorChartData data)
    {
        var plot = new Plot();
        var routes = data.P95ByRoute;
        var bars = routes
            .Select((r, i) => new Bar
            {
                Position = i,
                Value = r.P95Ms,
                FillColor = r.P95Ms > data.ThresholdMs ? Colors.Crimson : Colors.SteelBlue,
                Size = 0.7,
                Label = r.P95Ms.ToString("0.#", CultureInfo.InvariantCulture),
            })
            .ToList();
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 12;
        var threshold = plot.Add.HorizontalLine(data.ThresholdMs, 2, Colors.DarkOrange, LinePattern.Dashed);
        threshold.LegendText = string.Create(CultureInfo.InvariantCulture, $"threshold {data.ThresholdMs:0.###} ms");
        plot.ShowLegend(Alignment.UpperRight);

        plot.Axes.Bottom.SetTicks(routes.Select((_, i) => (double)i).ToArray(), routes.Select(r => r.Route).ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        if (routes.Count > 6)
        {
            // Many routes: slanted labels do not run into each other.
            plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        }

        plot.Axes.SetLimitsX(-0.6, routes.Count - 0.4);
        double top = Math.Max(data.ThresholdMs, routes.Max(r => r.P95Ms));
        plot.Axes.SetLimitsY(0, top > 0 ? top * 1.25 : 1); // headroom for the value labels and the legend
        plot.Title("p95 latency by route (red: above the threshold)");
        plot.YLabel("p95 (ms)");
        return plot;
    }

    private static Plot MemoryPlot(DetectorChartData data)
    {
        var plot = new Plot();
        var start = data.Memory[0].At;
        var xs = data.Memory.Select(p => (p.At - start).TotalMinutes).ToArray();
        var ys = data.Memory.Select(p => p.Bytes / (1024 * 1024)).ToArray(); // MiB
        var line = plot.Add.ScatterLine(xs, ys, Colors.SteelBlue);
        line.LineWidth = 2;
        line.MarkerSize = 3;
        line.LegendText = data.MemorySeries ?? "memory";
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.SetLimitsX(0, Math.Max(xs[^1], 1.0 / 60));
        double top = ys.Max();
        plot.Axes.SetLimitsY(0, top > 0 ? top * 1.25 : 1);
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Memory over the window (from {start.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC)"));
        plot.XLabel("minutes");
        plot.YLabel("MiB");
        return plot;
    }
}

/// <summary>What <see cref="DetectorChart"/> draws: p95 by route against the threshold, and memory over the window.</summary>
/// <param name="Title">The chart's heading (sources and instant).</param>
/// <param name="P95ByRoute">One bar per route, ms.</param>
/// <param name="Memory">The memory series, bytes, in time order.</param>
/// <param name="MemorySeries">Which series <paramref name="Memory"/> is (the legend); null when unknown.</param>
/// <param name="NoLatencyText">Shown in the latency panel when <paramref name="P95ByRoute"/> is empty, saying why.</param>
/// <param name="NoMemoryText">Shown in the memory panel when <paramref name="Memory"/> is empty, saying why.</param>
public sealed record DetectorChartData(
    string Title,
    IReadOnlyList<(string Route, double P95Ms)> P95ByRoute,
    double ThresholdMs,
    IReadOnlyList<(DateTimeOffset At, double Bytes)> Memory,
    string? MemorySeries,
    string NoLatencyText,
    string NoMemoryText);
