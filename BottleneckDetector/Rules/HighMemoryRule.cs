using PerfTools.Shared.Analysis;
using PerfTools.Shared.Metrics;
using static PerfTools.BottleneckDetector.Rules.RuleText;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary><c>high_memory</c>: process memory as a share of a known limit, or above an absolute threshold when no limit is exported.</summary>
public sealed class HighMemoryRule : IMetricRule
{
    public string Id => "high_memory";

    public async Task<IReadOnlyList<Finding>> EvaluateAsync(MetricRuleContext ctx, CancellationToken ct)
    {
        var metric = ctx.Metrics.ProcessMemory ?? ctx.Metrics.HeapMemory;
        if (metric == null)
        {
            return [];
        }

        var query = $"max_over_time({ctx.Select(metric)}[{ctx.WindowText}])";
        var memory = await ctx.InstantAsync(query, ct).ConfigureAwait(false);
        double? limit = null;
        if (ctx.Metrics.MemoryLimit != null)
        {
            var limits = await ctx.InstantAsync($"min({ctx.Select(ctx.Metrics.MemoryLimit)})", ct).ConfigureAwait(false);
            limit = limits.Series.Select(s => s.Value).Where(v => IsNumber(v) && v > 0).Select(v => (double?)v).FirstOrDefault();
            query += $" / min({ctx.Select(ctx.Metrics.MemoryLimit)})";
        }

        return Evaluate(memory, limit, query, ctx.Thresholds, ctx.Target);
    }

    /// <param name="memory">Peak bytes in the window, by process.</param>
    /// <param name="facts">The processes' runtimes and ids, so the advice names their heap tools; null when unknown.</param>
    public static IReadOnlyList<Finding> Evaluate(
        PrometheusQueryResult memory, double? limitBytes, string query, DetectorThresholds thresholds, TargetFacts? facts = null)
    {
        facts ??= TargetFacts.Unknown;
        var findings = new List<Finding>();
        foreach (var series in memory.Series)
        {
            var bytes = series.Value;
            if (!IsNumber(bytes))
            {
                continue;
            }

            var process = facts.Process(series);
            var target = process.Name;
            var heapTool = RuntimeAdvice.HeapTool(process.Runtime);
            if (limitBytes is { } limit)
            {
                var ratio = bytes / limit;
                if (ratio >= thresholds.MemoryLimitRatio)
                {
                    findings.Add(new Finding("high_memory", ratio >= thresholds.MemoryLimitCriticalRatio ? Severity.Critical : Severity.Warning,
                        target, ratio, "ratio", thresholds.MemoryLimitRatio, query,
                        $"{target} peaked at {Bytes(bytes)}, {N(ratio * 100, "0")} % of its {Bytes(limit)} limit: close to being OOM-killed. " +
                        $"Find what holds the memory (a heap snapshot{heapTool}), cap caches, or raise the limit if the working set is legitimate.")
                    {
                        NextSteps = RuntimeAdvice.HeapSteps(process),
                    });
                }
            }
            else if (bytes >= thresholds.HighMemoryBytes)
            {
                findings.Add(new Finding("high_memory", Severity.Warning, target, bytes, "bytes", thresholds.HighMemoryBytes, query,
                    $"{target} peaked at {Bytes(bytes)} (no memory limit exported, compared with {Bytes(thresholds.HighMemoryBytes)}). " +
                    $"Check with a heap snapshot{heapTool} what holds it; cap caches and buffers.")
                {
                    NextSteps = RuntimeAdvice.HeapSteps(process),
                });
            }
        }

        return findings;
    }
}
