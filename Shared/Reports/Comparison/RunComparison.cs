using System.Globalization;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Reports.Comparison;

/// <summary>A load run compared with its baseline, as the analyzer and the simulator report it: the console table,
/// <c>comparison_*.csv</c> and <c>.json</c>, the HTML section, and the <c>--max-regression-pct</c> gate.</summary>
/// <param name="BaselineName">The baseline as shown: the file read, or the folder and the files taken from it.</param>
/// <param name="Rows">One per label found in both runs, in the run's order.</param>
/// <param name="OnlyInBaseline">Labels of the baseline this run did not measure: listed, not tested.</param>
/// <param name="New">Labels of this run that the baseline lacks: listed, not tested.</param>
/// <param name="LabelHeader">"endpoint" or "scenario".</param>
public sealed record RunComparison(
    string BaselineName,
    IReadOnlyList<LatencyComparison> Rows,
    IReadOnlyList<string> OnlyInBaseline,
    IReadOnlyList<string> New,
    string LabelHeader)
{
    /// <summary>The <c>--max-regression-pct</c> gate's outcome once <see cref="WithGate"/> has run: its lines for the
    /// console and the page; null without a gate.</summary>
    public IReadOnlyList<string>? GateLines { get; init; }

    /// <summary>Whether the gate found a regression (false without a gate).</summary>
    public bool GateFailed { get; init; }

    /// <summary>This comparison with the gate evaluated (<see cref="Gate"/>), so every report, the HTML page included,
    /// shows its verdict; unchanged when <paramref name="maxRegressionPct"/> is null.</summary>
    public RunComparison WithGate(double? maxRegressionPct)
    {
        if (maxRegressionPct is not { } pct)
        {
            return this;
        }

        IReadOnlyList<string> lines = Gate(pct, out bool failed);
        return this with { GateLines = lines, GateFailed = failed };
    }

    /// <summary>Compares every label of <paramref name="after"/> that <paramref name="before"/> also has, in
    /// <paramref name="after"/>'s order; the others are listed as new or only in the baseline.</summary>
    /// <remarks>The labels tested are one family: their p-values are Holm–Bonferroni adjusted
    /// (<see cref="LatencyComparer.AdjustForFamily"/>). With <paramref name="uncorrectedBefore"/> and
    /// <paramref name="uncorrectedAfter"/> (the simulator's latencies from the actual send) the same comparison is made
    /// on them too, and a label whose two verdicts differ reads inconclusive (<see cref="LatencyComparer.Reconcile"/>).
    /// A label in <paramref name="generatorBehind"/> (the simulator fell behind its schedule in either run) that reads
    /// faster or slower reads inconclusive (<see cref="LatencyComparer.MarkGeneratorBehind"/>).</remarks>
    /// <param name="before">The baseline's latencies by label, ms, as (value, count).</param>
    /// <param name="after">This run's, likewise; a label with no samples (only errors) is still compared (not enough samples).</param>
    /// <param name="minChangePct">--min-change-pct: changes within ± this many percent are no change.</param>
    public static RunComparison Compare(
        string baselineName,
        IReadOnlyList<(string Label, IReadOnlyList<(double ValueMs, long Count)> Samples)> before,
        IReadOnlyList<(string Label, IReadOnlyList<(double ValueMs, long Count)> Samples)> after,
        double alpha,
        string labelHeader,
        double minChangePct = LatencyComparer.DefaultMinChangePct,
        IReadOnlyList<(string Label, IReadOnlyList<(double ValueMs, long Count)> Samples)>? uncorrectedBefore = null,
        IReadOnlyList<(string Label, IReadOnlyList<(double ValueMs, long Count)> Samples)>? uncorrectedAfter = null,
        IReadOnlySet<string>? generatorBehind = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var baseline = new Dictionary<string, IReadOnlyList<(double ValueMs, long Count)>>(StringComparer.Ordinal);
        foreach ((string label, var samples) in before)
        {
            baseline.TryAdd(label, samples);
        }

        var afterLabels = new HashSet<string>(after.Select(a => a.Label), StringComparer.Ordinal);
        IReadOnlyList<LatencyComparison> rows = LatencyComparer.AdjustForFamily(after
            .Where(a => baseline.ContainsKey(a.Label))
            .Select(a => LatencyComparer.Compare(a.Label, baseline[a.Label], a.Samples, alpha, minChangePct))
            .ToList());
        if (uncorrectedBefore is not null && uncorrectedAfter is not null)
        {
            // Only labels with uncorrected samples on both sides (a baseline written before they were kept has none).
            var uncorrectedBaseline = uncorrectedBefore.Where(u => u.Samples.Count > 0)
                .GroupBy(u => u.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Samples, StringComparer.Ordinal);
            var uncorrected = LatencyComparer.AdjustForFamily(uncorrectedAfter
                .Where(u => u.Samples.Count > 0 && uncorrectedBaseline.ContainsKey(u.Label) && baseline.ContainsKey(u.Label))
                .Select(u => LatencyComparer.Compare(u.Label, uncorrectedBaseline[u.Label], u.Samples, alpha, minChangePct))
                .ToList());
            rows = LatencyComparer.Reconcile(rows, uncorrected);
        }

        if (generatorBehind is { Count: > 0 })
        {
            rows = LatencyComparer.MarkGeneratorBehind(rows, generatorBehind);
        }

        return new RunComparison(
            baselineName,
            rows,
            before.Select(b => b.Label).Where(l => !afterLabels.Contains(l)).Distinct(StringComparer.Ordinal).ToList(),
            after.Select(a => a.Label).Where(l => !baseline.ContainsKey(l)).ToList(),
            labelHeader);
    }

    /// <summary>The table (<see cref="ComparisonText"/>), then one line each for the labels on one side only.</summary>
    public void WriteConsole(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ComparisonText.Write(output, Rows, BaselineName, LabelHeader);
        foreach (string line in OneSidedLines())
        {
            output.WriteLine(line);
        }
    }

    /// <summary>Writes <c>comparison_*.csv</c> and <c>comparison_*.json</c> (the rows; one-sided labels have no test to record).</summary>
    public void WriteFiles(string csvPath, string jsonPath, DateTimeOffset generatedAt)
    {
        ComparisonCsv.WriteFile(csvPath, Rows);
        ComparisonJson.WriteFile(jsonPath, new ComparisonReport(BaselineName, generatedAt, Rows));
    }

    /// <summary>The comparison section (<see cref="ComparisonHtml"/>), then the labels on one side only.</summary>
    public void AddTo(HtmlReport page)
    {
        ArgumentNullException.ThrowIfNull(page);
        ComparisonHtml.AddTo(page, Rows, BaselineName, LabelHeader);
        foreach (string line in OneSidedLines())
        {
            page.AddParagraph(line);
        }

        if (GateLines is { } gate)
        {
            page.AddVerdict(
                GateFailed ? $"Regression gate failed: {string.Join("; ", gate)}" : char.ToUpperInvariant(gate[0][0]) + gate[0][1..],
                GateFailed ? "bad" : "good");
        }
    }

    /// <summary>The <c>--max-regression-pct</c> gate: one line per regression (a significant slowdown whose p50 rose
    /// more than <paramref name="maxRegressionPct"/> %), or one line saying it passed.</summary>
    /// <param name="failed">Whether any row is such a regression.</param>
    public IReadOnlyList<string> Gate(double maxRegressionPct, out bool failed)
    {
        IReadOnlyList<LatencyComparison> regressions = ComparisonGate.Regressions(Rows, maxRegressionPct);
        failed = regressions.Count > 0;
        string limit = maxRegressionPct.ToString("0.###", CultureInfo.InvariantCulture);
        if (!failed)
        {
            return [$"regression gate passed: no {LabelHeader} significantly slower with its p50 up more than {limit}%"];
        }

        return regressions
            .Select(r => $"regression: {SafeText.Printable(r.Label)}: p50 {Milliseconds.Text(r.P50BeforeMs)} → {Milliseconds.Text(r.P50AfterMs)} ms "
                + $"({ComparisonFormat.Change(r.P50ChangePct)}), {r.Verdict.ToText()} (p {PText(r)}), more than --max-regression-pct {limit}")
            .ToList();
    }

    private static string PText(LatencyComparison row) => ComparisonFormat.P(row) is var p && p.StartsWith('<') ? p : "= " + p;

    private IEnumerable<string> OneSidedLines()
    {
        if (New.Count > 0)
        {
            yield return $"new (not in the baseline, not tested): {string.Join(", ", New.Select(l => SafeText.Printable(l)))}";
        }

        if (OnlyInBaseline.Count > 0)
        {
            yield return $"only in baseline (not measured in this run): {string.Join(", ", OnlyInBaseline.Select(l => SafeText.Printable(l)))}";
        }
    }
}
