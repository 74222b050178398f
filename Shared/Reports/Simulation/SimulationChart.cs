using System.Globalization;
using PerfTools.Shared.Analysis;
using ScottPlot;

namespace PerfTools.Shared.Reports.Simulation;

/// <summary>Draws <c>simulation_*.png</c>: requests per second (sent, ok, errors) over the run, and latency per second
/// (corrected p50 and p99, raw p99) below it, so a stall shows as a gap between corrected and raw.</summary>
public sealed class SimulationChart
{

    public int Width { get; init; } = 1400;

    public int Height { get; init; } = 900;

    public byte[] RenderPng(SimulationStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return ChartCanvas.RenderPng(Width, Height, canvas =>
        {
            const float titleHeight = 56;
            var half = (Height - titleHeight) / 2;
            using var rates = RatePlot(stats);
            using var latency = LatencyPlot(stats);
            ChartCanvas.RenderInto(canvas, rates, new PixelRect(0, Width, titleHeight + half, titleHeight));
            ChartCanvas.RenderInto(canvas, latency, new PixelRect(0, Width, Height, titleHeight + half));

            var title = string.Create(CultureInfo.InvariantCulture,
                $"Simulation '{stats.Scenario}': {stats.BaseUrl}   {stats.StartedAt:yyyy-MM-dd HH:mm:ss}   target {stats.TargetRps:0.###} rps, achieved {stats.AchievedRps:0.###} rps");
            ChartCanvas.DrawTitle(canvas, title, titleHeight);
        });
    }

    /// <returns>The PNG written, so the HTML report embeds the same picture without reading it back.</returns>
    public byte[] WriteFile(string path, SimulationStats stats)
    {
        var png = RenderPng(stats);
        AtomicFile.Write(path, stream => stream.Write(png));
        return png;
    }

    private static double[] Xs(SimulationStats stats) => stats.Seconds.Select(s => (double)s.Second).ToArray();

    private static Plot RatePlot(SimulationStats stats)
    {
        var plot = new Plot();
        if (stats.Seconds.Count > 0)
        {
            var xs = Xs(stats);
            Line(plot, xs, stats.Seconds.Select(s => (double)s.Sent).ToArray(), "sent", Colors.SteelBlue);
            Line(plot, xs, stats.Seconds.Select(s => (double)s.Ok).ToArray(), "ok", Colors.ForestGreen);
            Line(plot, xs, stats.Seconds.Select(s => (double)s.Errors).ToArray(), "errors", Colors.Crimson);
            if (stats.TargetRps > 0)
            {
                var target = plot.Add.HorizontalLine(stats.TargetRps, 1, Colors.Gray, LinePattern.Dashed);
                target.LegendText = "target";
            }

            plot.ShowLegend(Alignment.UpperRight);
            double top = Math.Max(stats.TargetRps, stats.Seconds.Max(x => (double)x.Sent));
            FromZero(plot, top);
        }

        plot.Title("Requests per second (by the second they were due)");
        plot.XLabel("second");
        plot.YLabel("requests");
        return plot;
    }

    private static Plot LatencyPlot(SimulationStats stats)
    {
        var plot = new Plot();
        if (stats.Seconds.Count > 0)
        {
            var xs = Xs(stats);
            Line(plot, xs, stats.Seconds.Select(s => s.P50Micros / 1000.0).ToArray(), "p50 corrected", Colors.SteelBlue);
            Line(plot, xs, stats.Seconds.Select(s => s.P99Micros / 1000.0).ToArray(), "p99 corrected", Colors.DarkOrange);
            Line(plot, xs, stats.Seconds.Select(s => s.P99UncorrectedMicros / 1000.0).ToArray(), "p99 uncorrected", Colors.Gray);
            plot.ShowLegend(Alignment.UpperLeft);
            FromZero(plot, stats.Seconds.Max(x => Math.Max(x.P99Micros, x.P99UncorrectedMicros)) / 1000.0);
        }

        plot.Title("Latency per second (corrected: from the due time; uncorrected: from the actual send)");
        plot.XLabel("second");
        plot.YLabel("latency (ms)");
        return plot;
    }

    /// <summary>y from 0, with headroom above the highest value for the legend; counts and latencies start at 0.</summary>
    private static void FromZero(Plot plot, double top) => plot.Axes.SetLimitsY(0, top > 0 ? top * 1.25 : 1);

    private static void Line(Plot plot, double[] xs, double[] ys, string label, Color color)
    {
        var line = plot.Add.ScatterLine(xs, ys, color);
        line.LineWidth = 2;
        line.MarkerSize = 4;
        line.LegendText = label;
    }
}
