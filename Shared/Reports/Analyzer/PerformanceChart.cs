using System.Globalization;
using PerfTools.Shared.Analysis;
using ScottPlot;
using SkiaSharp;

namespace PerfTools.Shared.Reports.Analyzer;

/// <summary>
/// Draws <c>performance_report_*.png</c>: mean latency by endpoint (bars), latency distribution by endpoint (box plots),
/// and latency by percentile (one line per endpoint, x as 1/(1-q) on a log scale as HdrHistogram plots do).
/// </summary>
public sealed class PerformanceChart
{
    /// <summary>Installed by the Debian/Ubuntu package fonts-dejavu-core; without a font ScottPlot draws no text at all.</summary>
    public const string FontFamily = "DejaVu Sans";

    public const string NoDataMessage = "no successful requests";

    // x of the percentile panel is log10(1/(1-q)): p0 at 0, p90 at 1, p99 at 2, p99.9 at 3.
    private const double MaxNines = 3;

    /// <summary>Floor for the log axis: 1 µs, below any latency a loopback request can show.</summary>
    private const double MinLogMs = 0.001;

    private static readonly (double X, string Label)[] PercentileTicks =
    [
        (0, "p0"), (Math.Log10(2), "p50"), (1, "p90"), (Math.Log10(20), "p95"), (2, "p99"), (3, "p99.9"),
    ];


    public int Width { get; init; } = 1400;

    public int Height { get; init; } = 1000;

    /// <summary>Renders the chart as PNG bytes.</summary>
    /// <param name="baseUrl">The target, shown in the title.</param>
    /// <param name="runAt">When the run started, shown in the title (its clock time as given).</param>
    /// <param name="stats">One per endpoint, in the order the panels list them.</param>
    /// <param name="samples">Raw latencies, ms, of the requests with a response, by endpoint label.</param>
    public byte[] RenderPng(
        string baseUrl,
        DateTimeOffset runAt,
        IReadOnlyList<EndpointStats> stats,
        IReadOnlyDictionary<string, IReadOnlyList<double>> samples)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(samples);
        return ChartCanvas.RenderPng(Width, Height, canvas => Draw(canvas, baseUrl, runAt, stats, samples));
    }

    private void Draw(
        SKCanvas canvas,
        string baseUrl,
        DateTimeOffset runAt,
        IReadOnlyList<EndpointStats> stats,
        IReadOnlyDictionary<string, IReadOnlyList<double>> samples)
    {
        const float titleHeight = 56;
        var title = string.Create(CultureInfo.InvariantCulture,
            $"Performance report: {baseUrl}   {runAt:yyyy-MM-dd HH:mm:ss}");
        // Sorted copies: the box plots and percentile lines need order statistics.
        var sorted = samples
            .Where(kv => kv.Value.Count > 0)
            .ToDictionary(kv => kv.Key, kv => kv.Value.Order().ToArray(), StringComparer.Ordinal);
        var labels = stats.Select(s => s.Label)
            .Concat(samples.Keys)
            .Distinct(StringComparer.Ordinal)
            .ToList();

        var body = new PixelRect(0, Width, Height, titleHeight);
        if (sorted.Count == 0)
        {
            using var empty = NoDataPlot();
            ChartCanvas.RenderInto(canvas, empty, body);
        }
        else
        {
            var rowHeight = (Height - titleHeight) / 2;
            var top = new PixelRect(0, Width / 2f, titleHeight + rowHeight, titleHeight);
            var topRight = new PixelRect(Width / 2f, Width, titleHeight + rowHeight, titleHeight);
            var bottom = new PixelRect(0, Width, Height, titleHeight + rowHeight);

            using var means = MeanPlot(labels, stats);
            using var boxes = BoxPlot(labels, sorted);
            using var percentiles = PercentilePlot(labels, sorted);
            ChartCanvas.RenderInto(canvas, means, top);
            ChartCanvas.RenderInto(canvas, boxes, topRight);
            ChartCanvas.RenderInto(canvas, percentiles, bottom);
        }

        ChartCanvas.DrawTitle(canvas, title, titleHeight, 22);
    }

    /// <summary>Renders the chart and writes it atomically (temporary name, then rename).</summary>
    /// <returns>The PNG written, so the HTML report embeds the same picture without reading it back.</returns>
    public byte[] WriteFile(
        string path,
        string baseUrl,
        DateTimeOffset runAt,
        IReadOnlyList<EndpointStats> stats,
        IReadOnlyDictionary<string, IReadOnlyList<double>> samples)
    {
        var png = RenderPng(baseUrl, runAt, stats, samples);
        AtomicFile.Write(path, stream => stream.Write(png));
        return png;
    }

    /// <summary>Whether <see cref="FontFamily"/> resolves to itself, not to a fallback.</summary>
    public static bool IsFontInstalled()
    {
        using var typeface = SKFontManager.Default.MatchFamily(FontFamily);
        return typeface?.FamilyName == FontFamily;
    }

    private static Plot NoDataPlot()
    {
        var plot = new Plot();
        plot.HideAxesAndGrid();
        var text = plot.Add.Text(NoDataMessage, 0, 0);
        text.LabelFontSize = 32;
        text.LabelAlignment = Alignment.MiddleCenter;
        text.LabelFontColor = Colors.DimGray;
        plot.Axes.SetLimits(-1, 1, -1, 1);
        return plot;
    }

    /// <summary>Endpoint i sits at y = n-1-i, so the first endpoint is at the top as in a table.</summary>
    private static double Row(int index, int count) => count - 1 - index;

    private static void EndpointAxis(Plot plot, IReadOnlyList<string> labels)
    {
        plot.Axes.Left.SetTicks(
            labels.Select((_, i) => Row(i, labels.Count)).ToArray(),
            labels.ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.SetLimitsY(-0.6, labels.Count - 0.4);
        plot.Grid.YAxisStyle.IsVisible = false;
    }

    private static Plot MeanPlot(IReadOnlyList<string> labels, IReadOnlyList<EndpointStats> stats)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var byLabel = stats.ToDictionary(s => s.Label, StringComparer.Ordinal);
        var bars = labels
            .Select((label, i) => new Bar
            {
                Position = Row(i, labels.Count),
                Value = byLabel.TryGetValue(label, out var s) ? s.MeanMicros / 1000.0 : 0, // the axis is ms
                FillColor = palette.GetColor(i),
                Size = 0.7,
                Label = byLabel.TryGetValue(label, out var t) && t.Measured > 0
                    ? (t.MeanMicros / 1000.0).ToString("0.0", CultureInfo.InvariantCulture)
                    : "no response",
                Orientation = Orientation.Horizontal,
            })
            .ToList();
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        barPlot.ValueLabelStyle.FontSize = 12;
        EndpointAxis(plot, labels);
        plot.Axes.Margins(left: 0, right: 0.15); // room for the value labels
        plot.Axes.SetLimitsY(-0.6, labels.Count - 0.4);
        plot.Title("Mean latency by endpoint");
        plot.XLabel("mean latency (ms)");
        return plot;
    }

    private static Plot BoxPlot(IReadOnlyList<string> labels, IReadOnlyDictionary<string, double[]> sorted)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < labels.Count; i++)
        {
            if (!sorted.TryGetValue(labels[i], out var values))
            {
                continue;
            }

            // Tukey's box plot, as matplotlib draws it: whiskers at the furthest samples within 1.5 IQR of the box.
            var q1 = SamplePercentiles.At(values, 0.25);
            var q3 = SamplePercentiles.At(values, 0.75);
            var reach = 1.5 * (q3 - q1);
            // One BoxPlot per endpoint: a BoxPlot's own FillColor overrides its boxes' colours.
            var boxPlot = plot.Add.Box(new Box
            {
                Position = i,
                BoxMin = q1,
                BoxMax = q3,
                BoxMiddle = SamplePercentiles.At(values, 0.5),
                WhiskerMin = values.First(v => v >= q1 - reach),
                WhiskerMax = values.Last(v => v <= q3 + reach),
                Width = 0.6, // vertical: ScottPlot 5.1.59 throws NotImplementedException for horizontal boxes
            });
            boxPlot.FillColor = palette.GetColor(i).WithAlpha(0.7);
        }

        plot.Axes.Bottom.SetTicks(labels.Select((_, i) => (double)i).ToArray(), labels.ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        // Endpoint labels are long ("POST /boards/{id}/posts"): slanted so neighbours do not overlap.
        plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 30 + 7 * labels.Max(l => l.Length) / 2f;
        plot.Axes.SetLimitsX(-0.6, labels.Count - 0.4);
        plot.Grid.XAxisStyle.IsVisible = false;
        plot.Title("Latency distribution by endpoint (box: quartiles, whiskers: 1.5 IQR)");
        plot.YLabel("latency (ms)");
        return plot;
    }

    private static Plot PercentilePlot(IReadOnlyList<string> labels, IReadOnlyDictionary<string, double[]> sorted)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        const int steps = 120;
        // A 1 ms endpoint next to a 500 ms one is a flat line on a linear axis: past a 50x spread, use log10.
        var all = labels.Where(sorted.ContainsKey).SelectMany(l => sorted[l]).Where(v => v > 0).ToArray();
        var logY = all.Length > 0 && all.Max() / all.Min() > 50;
        for (var i = 0; i < labels.Count; i++)
        {
            if (!sorted.TryGetValue(labels[i], out var values))
            {
                continue;
            }

            var xs = new double[steps + 1];
            var ys = new double[steps + 1];
            for (var k = 0; k <= steps; k++)
            {
                xs[k] = MaxNines * k / steps;
                var ms = SamplePercentiles.At(values, 1 - Math.Pow(10, -xs[k]));
                ys[k] = logY ? Math.Log10(Math.Max(ms, MinLogMs)) : ms;
            }

        var line = plot.Add.ScatterLine(xs, ys, palette.GetColor(i));
            line.LineWidth = 2;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{labels[i]} (n={values.Length})");
        }

        plot.Axes.Bottom.SetTicks(PercentileTicks.Select(t => t.X).ToArray(), PercentileTicks.Select(t => t.Label).ToArray());
        plot.Axes.SetLimitsX(0, MaxNines);
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Title("Latency by percentile (x: 1/(1-q), log scale)");
        plot.XLabel("percentile");
        if (logY)
        {
            SetLogTicks(plot, all.Min(), all.Max());
            plot.YLabel("latency (ms, log scale)");
        }
        else
        {
            plot.YLabel("latency (ms)");
        }

        return plot;
    }

    /// <summary>Ticks at 1, 2 and 5 times each power of ten between the extremes, labelled in ms.</summary>
    private static void SetLogTicks(Plot plot, double minMs, double maxMs)
    {
        var positions = new List<double>();
        var names = new List<string>();
        var low = (int)Math.Floor(Math.Log10(Math.Max(minMs, MinLogMs)));
        var high = (int)Math.Ceiling(Math.Log10(maxMs));
        for (var e = low; e <= high; e++)
        {
            foreach (var m in new[] { 1.0, 2.0, 5.0 })
            {
                var ms = m * Math.Pow(10, e);
                positions.Add(Math.Log10(ms));
                names.Add(ms.ToString("0.###", CultureInfo.InvariantCulture));
            }
        }

        plot.Axes.Left.SetTicks(positions.ToArray(), names.ToArray());
        plot.Axes.SetLimitsY(Math.Log10(Math.Max(minMs, MinLogMs)) - 0.05, Math.Log10(maxMs) + 0.05);
    }
}

/// <summary>Percentiles of raw latency samples for the chart, by linear interpolation between order statistics (numpy's default).</summary>
internal static class SamplePercentiles
{
    /// <param name="sorted">Samples in ascending order, at least one.</param>
    /// <param name="q">Quantile in [0, 1].</param>
    public static double At(IReadOnlyList<double> sorted, double q)
    {
        var rank = Math.Clamp(q, 0, 1) * (sorted.Count - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
    }
}
