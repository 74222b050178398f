using System.Globalization;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Reports.Comparison;

/// <summary>How the console and the HTML page word and round a comparison, so both say the same.</summary>
internal static class ComparisonFormat
{
    /// <summary>The smallest p shown as a number; smaller ones read "&lt; 0.0001" (the digits are in the files).</summary>
    private const double SmallestShownP = 0.0001;

    /// <summary><c>+12.3%</c>, <c>-4.0%</c>, or <c>n/a</c> when the baseline value was 0.</summary>
    public static string Change(double? pct) =>
        pct is { } p
            ? (p >= 0 ? "+" : "") + Math.Round(p, 1, MidpointRounding.AwayFromZero).ToString("F1", CultureInfo.InvariantCulture) + "%"
            : "n/a";

    /// <summary><c>12.34 → 10.00 (-19.0%)</c>.</summary>
    public static string BeforeAfter(double before, double after, double? pct) => $"{Milliseconds.Text(before)} → {Milliseconds.Text(after)} ({Change(pct)})";

    /// <summary>4 decimals, "&lt; 0.0001" below that, "n/a" when not tested.</summary>
    public static string P(MannWhitneyResult? test) => test is null ? "n/a" : P(test.PValue);

    /// <summary>The p the verdict rests on: the threshold test's, Holm-adjusted; the plain test's for a row read from a
    /// file written before the threshold test existed; "n/a" when not tested.</summary>
    public static string P(LatencyComparison c) => c.Threshold is { } t ? P(t.PAdjusted) : P(c.Test);

    private static string P(double p) => p < SmallestShownP ? "< 0.0001" : p.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary><c>+1.234 ms (+0.9 … +1.6)</c>: the Hodges–Lehmann shift and its interval; "n/a" when not tested.</summary>
    public static string ShiftMs(LatencyComparison c) => c.Shift is { } s
        ? $"{Signed(s.Shift)} ms ({Signed(s.Low)} … {Signed(s.High)})"
        : "n/a";

    /// <summary><c>+12.3% (+9.0 … +15.5)</c>: the shift in percent of the baseline's p50; "n/a" without one.</summary>
    public static string ShiftPct(LatencyComparison c) => c.ShiftPct is { } pct && c.ShiftIntervalPct is { } ci
        ? $"{Change(pct)} ({Change(ci.Low).TrimEnd('%')} … {Change(ci.High).TrimEnd('%')})"
        : "n/a";

    /// <summary>"inconclusive (corrected: slower; uncorrected: no significant change)", or the verdict's text.</summary>
    public static string VerdictText(LatencyComparison c) =>
        c.Verdict == ComparisonVerdict.Inconclusive && c.GeneratorBehind && c.Threshold is { } g
            ? $"inconclusive (the load generator fell behind its schedule in this run or the baseline; corrected: {LatencyComparer.Verdict(g, c.Alpha).ToText()})"
        : c.Verdict == ComparisonVerdict.Inconclusive && c.UncorrectedVerdict is { } u && c.Threshold is { } t
            ? $"inconclusive (corrected: {LatencyComparer.Verdict(t, c.Alpha).ToText()}; uncorrected: {u.ToText()})"
            : c.Verdict.ToText();

    /// <summary>The shift for the console's four lines of a block: ms, its interval, %, its interval; blank where not known.</summary>
    public static string[] ShiftLines(LatencyComparison c)
    {
        var lines = new[] { c.Shift is null ? "n/a" : "", "", "", "" };
        if (c.Shift is { } s)
        {
            lines[0] = $"{Signed(s.Shift)} ms";
            lines[1] = $"({Signed(s.Low)} … {Signed(s.High)})";
        }

        if (c.ShiftPct is { } pct && c.ShiftIntervalPct is { } ci)
        {
            lines[2] = Change(pct);
            lines[3] = $"({Change(ci.Low).TrimEnd('%')} … {Change(ci.High)})";
        }

        return lines;
    }

    private static string Signed(double ms) => (ms >= 0 ? "+" : "") + Milliseconds.Text(ms);

    /// <summary>The confidence level of the rows' intervals in percent (<c>95</c>), from the first row with one.</summary>
    public static string Confidence(IEnumerable<LatencyComparison> rows) =>
        ((rows.FirstOrDefault(r => r.Shift is not null)?.Shift?.Confidence ?? (1 - LatencyComparer.DefaultAlpha)) * 100)
            .ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>The probability of superiority with 3 decimals, "n/a" when not tested.</summary>
    public static string Superiority(MannWhitneyResult? test) =>
        test is null ? "n/a" : test.ProbabilityOfSuperiority.ToString("F3", CultureInfo.InvariantCulture);

    public static string Alpha(double alpha) => alpha.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>The α of the rows: one value, or the distinct ones joined (rows compared at different levels).</summary>
    public static string Alphas(IEnumerable<LatencyComparison> rows)
    {
        var alphas = rows.Select(r => r.Alpha).Distinct().Order().ToList();
        return alphas.Count == 0 ? Alpha(LatencyComparer.DefaultAlpha) : string.Join(", ", alphas.Select(Alpha));
    }

    /// <summary>What a verdict means and how p is computed, in a few sentences a non-statistician can read.</summary>
    public static string TestSentence(IReadOnlyCollection<LatencyComparison> rows)
    {
        string alphas = Alphas(rows);
        var thresholds = rows.Where(r => r.Threshold is not null).Select(r => r.Threshold!.MinChangePct).Distinct().Order().ToList();
        string threshold = thresholds.Count == 0
            ? Pct(LatencyComparer.DefaultMinChangePct)
            : string.Join(", ", thresholds.Select(Pct));
        int family = rows.Where(r => r.Threshold is not null).Select(r => r.Threshold!.FamilySize).DefaultIfEmpty(0).Max();
        string holm = family > 1
            ? $"p is Holm–Bonferroni adjusted over the {family} comparisons, so the chance of any false faster or slower among them stays below α"
            : "one comparison, so p needs no adjustment";
        string inconclusive = rows.Any(r => r.UncorrectedVerdict is not null)
            ? " Inconclusive: latency from each due time reads faster or slower but latency from each actual send does not agree, so the load generator's own lag may be what changed."
            : "";
        if (rows.Any(r => r.GeneratorBehind))
        {
            inconclusive += " A scenario whose load generator fell behind its schedule in either run (1 % or more of its sends late through its own delay) reads inconclusive instead of faster or slower.";
        }

        return $"Faster or slower means the run differs from the baseline by more than ±{threshold}, beyond reasonable doubt "
            + $"(α = {alphas}); a smaller or uncertain difference reads no significant change. Test: two one-sided Mann-Whitney U "
            + $"tests of the run against the baseline scaled by 1 ± {threshold} (BenchmarkDotNet's threshold test), exact when both "
            + $"runs have fewer than {MannWhitneyU.ExactLimit} samples and no ties, else the tie- and continuity-corrected normal "
            + $"approximation; {holm}. Shift: the Hodges–Lehmann estimate of after − before (the median of all differences) "
            + $"with its {Confidence(rows)}% confidence interval, in ms and in % of the baseline's p50. Fewer than "
            + $"{LatencyComparer.MinSamples} samples on a side are not tested.{inconclusive}";
    }

    private static string Pct(double pct) => pct.ToString("0.###", CultureInfo.InvariantCulture) + "%";

    /// <summary><c>2 faster, 1 slower, 3 no significant change</c>: the verdicts present, in enum order.</summary>
    public static string Tally(IEnumerable<LatencyComparison> rows) =>
        string.Join(", ", rows
            .GroupBy(r => r.Verdict)
            .OrderBy(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key.ToText()}")));

    /// <summary>The kind of the tally: bad when anything is slower, good when something is faster, else neutral.</summary>
    public static string TallyKind(IReadOnlyCollection<LatencyComparison> rows) =>
        rows.Any(r => r.Verdict == ComparisonVerdict.Slower) ? "bad"
        : rows.Any(r => r.Verdict == ComparisonVerdict.Faster) ? "good"
        : "neutral";
}
