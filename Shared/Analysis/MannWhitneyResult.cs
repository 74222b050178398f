namespace PerfTools.Shared.Analysis;

/// <summary>The outcome of a two-sided <see cref="MannWhitneyU"/> test of an "after" sample against a "before" one.</summary>
/// <param name="N1">Size of the "before" sample (counts summed).</param>
/// <param name="N2">Size of the "after" sample (counts summed).</param>
/// <param name="U">U of the "after" sample: the pairs (before b, after a) with a &gt; b, plus half the pairs with a = b;
/// from 0 to N1·N2. R's <c>wilcox.test(after, before)</c> reports it as W, SciPy's <c>mannwhitneyu(after, before)</c> as U.</param>
/// <param name="Z">The standard score of U under the normal approximation, tie- and continuity-corrected (also when
/// <paramref name="Method"/> is exact); positive when "after" tends to be larger; 0 when U cannot vary (all values tied).</param>
/// <param name="PValue">Two-sided p-value, in [0, 1].</param>
/// <param name="Method"><see cref="MannWhitneyU.ExactMethod"/> or <see cref="MannWhitneyU.NormalMethod"/>.</param>
/// <param name="ProbabilityOfSuperiority">U / (N1·N2): P(after &gt; before) + ½ P(after = before) for a random pair;
/// 0.5 means neither side tends to be larger, above 0.5 means "after" tends to be larger (slower, for latencies).</param>
public sealed record MannWhitneyResult(
    long N1,
    long N2,
    double U,
    double Z,
    double PValue,
    string Method,
    double ProbabilityOfSuperiority);
