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
    public static string P(MannWhitneyResult? test) => test is null ? "n/a"
        : test.PValue < SmallestShownP ? "< 0.0001"
        : test.PValue.ToString("F4", CultureInfo.InvariantCulture);

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

    /// <summary>What the test is and how p is computed, in one sentence.</summary>
    public static string TestSentence(string alphas) =>
        $"Mann-Whitney U test, two-sided, α = {alphas}: p is exact (the permutation distribution of U) when both runs "
        + $"have fewer than {MannWhitneyU.ExactLimit} samples and no ties, otherwise from the normal approximation with "
        + "tie and continuity correction; p < α gives faster or slower by which run tends to be larger "
        + "(the probability of superiority, P(after > before) + ½ P(tie)), else no significant change; fewer than "
        + $"{LatencyComparer.MinSamples} samples on a side are not tested.";

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
