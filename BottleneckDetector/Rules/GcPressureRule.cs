using PerfTools.Shared.Analysis;
using PerfTools.Shared.Metrics;
using static PerfTools.BottleneckDetector.Rules.RuleText;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary><c>gc_pressure</c>: share of time in GC pauses where exported, and oldest-generation (gen2, major) collections per second.</summary>
public sealed class GcPressureRule : IMetricRule
{
    public string Id => "gc_pressure";

    public async Task<IReadOnlyList<Finding>> EvaluateAsync(MetricRuleContext ctx, CancellationToken ct)
    {
        var gc = ctx.Metrics.Gc;
        var w = ctx.WindowText;
        string? pauseQuery = gc.PauseSeconds == null ? null : $"sum by (job, instance) (rate({ctx.Select(gc.PauseSeconds)}[{w}]))";
        string? oldQuery = gc is { Collections: { } c, GenerationLabel: { } label, OldGeneration: { } old }
            ? $"sum by (job, instance) (rate({ctx.Select(c, $"{label}=\"{old}\"")}[{w}]))"
            : null;
        var pause = pauseQuery == null ? PrometheusQueryResult.EmptyVector : await ctx.InstantAsync(pauseQuery, ct).ConfigureAwait(false);
        var oldGen = oldQuery == null ? PrometheusQueryResult.EmptyVector : await ctx.InstantAsync(oldQuery, ct).ConfigureAwait(false);
        return Evaluate(pause, pauseQuery ?? "", oldGen, oldQuery ?? "", ctx.Thresholds, ctx.Target);
    }

    /// <param name="pause">Seconds of GC pause per second, by process.</param>
    /// <param name="oldGenerationRate">Oldest-generation collections per second, by process.</param>
    /// <param name="facts">The processes' runtimes and ids, so the advice names their allocation profiler; null when unknown.</param>
    public static IReadOnlyList<Finding> Evaluate(
        PrometheusQueryResult pause, string pauseQuery, PrometheusQueryResult oldGenerationRate, string oldQuery, DetectorThresholds thresholds,
        TargetFacts? facts = null)
    {
        facts ??= TargetFacts.Unknown;
        var findings = new List<Finding>();
        foreach (var series in pause.Series.Where(s => IsNumber(s.Value) && s.Value >= thresholds.GcTimeRatio))
        {
            var process = facts.Process(series);
            var target = process.Name;
            var habits = process.Runtime == TargetRuntime.DotNet
                ? "pool buffers, avoid LINQ and boxing in loops, stream instead of buffering"
                : "reuse buffers, avoid temporary objects per item, stream instead of buffering";
            findings.Add(new Finding("gc_pressure", series.Value >= thresholds.GcTimeCriticalRatio ? Severity.Critical : Severity.Warning,
                target, series.Value, "ratio", thresholds.GcTimeRatio, pauseQuery,
                $"{target} spent {N(series.Value * 100, "0.#")} % of the time in GC pauses. Reduce allocations on hot paths " +
                $"({habits}); an allocation profile{RuntimeAdvice.AllocationTool(process.Runtime)} shows where they come from.")
            {
                NextSteps = RuntimeAdvice.AllocationSteps(process),
            });
        }

        foreach (var series in oldGenerationRate.Series.Where(s => IsNumber(s.Value) && s.Value > thresholds.OldGenCollectionsPerSecond))
        {
            var process = facts.Process(series);
            var target = process.Name;
            var (forced, large) = process.Runtime switch
            {
                TargetRuntime.DotNet => (", or something calls GC.Collect", "large object heap, caches churning"),
                TargetRuntime.Jvm => (", or something calls System.gc()", "humongous objects, caches churning"),
                _ => ("", "caches churning"),
            };
            findings.Add(new Finding("gc_pressure", Severity.Warning, target, series.Value, "collections/s", thresholds.OldGenCollectionsPerSecond, oldQuery,
                $"{target} runs {N(series.Value * 60, "0.#")} full (oldest-generation) collections a minute: objects live just long enough to be promoted{forced}. " +
                $"Look for large or mid-lived allocations ({large}) in an allocation profile{RuntimeAdvice.AllocationTool(process.Runtime)}.")
            {
                NextSteps = RuntimeAdvice.AllocationSteps(process),
            });
        }

        return findings;
    }
}
