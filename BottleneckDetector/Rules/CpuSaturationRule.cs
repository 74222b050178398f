using PerfTools.Shared.Analysis;
using PerfTools.Shared.Metrics;
using static PerfTools.BottleneckDetector.Rules.RuleText;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary><c>cpu_saturation</c>: process CPU seconds per second as a share of the cores, or of 1 core when the count is not exported (and says so).</summary>
public sealed class CpuSaturationRule : IMetricRule
{
    public string Id => "cpu_saturation";

    public async Task<IReadOnlyList<Finding>> EvaluateAsync(MetricRuleContext ctx, CancellationToken ct)
    {
        if (ctx.Metrics.CpuSeconds is not { } cpu)
        {
            return [];
        }

        var cpuQuery = $"sum by (job, instance) (rate({ctx.Select(cpu)}[{ctx.WindowText}]))";
        var usage = await ctx.InstantAsync(cpuQuery, ct).ConfigureAwait(false);
        var coresQuery = ctx.Metrics.CpuCount == null ? null : $"max by (job, instance) ({ctx.Select(ctx.Metrics.CpuCount)})";
        var cores = coresQuery == null ? PrometheusQueryResult.EmptyVector : await ctx.InstantAsync(coresQuery, ct).ConfigureAwait(false);
        return Evaluate(usage, cores, coresQuery == null ? cpuQuery : $"{cpuQuery} / {coresQuery}", ctx.Thresholds, ctx.Target);
    }

    /// <param name="usage">CPU seconds per second by process.</param>
    /// <param name="cores">Cores by process; empty when not exported.</param>
    /// <param name="facts">The processes' runtimes and ids, so the advice names their profiler; null when unknown.</param>
    public static IReadOnlyList<Finding> Evaluate(
        PrometheusQueryResult usage, PrometheusQueryResult cores, string query, DetectorThresholds thresholds, TargetFacts? facts = null)
    {
        facts ??= TargetFacts.Unknown;
        var coresByProcess = cores.Series.Where(s => IsNumber(s.Value) && s.Value > 0).ToDictionary(ProcessKey, s => s.Value);
        var findings = new List<Finding>();
        foreach (var series in usage.Series)
        {
            if (!IsNumber(series.Value))
            {
                continue;
            }

            var known = coresByProcess.TryGetValue(ProcessKey(series), out var count)
                || (coresByProcess.Count == 1 && (count = coresByProcess.Values.Single()) > 0);
            var coreCount = known ? count : 1;
            var ratio = series.Value / coreCount;
            if (ratio < thresholds.CpuRatio)
            {
                continue;
            }

            var process = facts.Process(series);
            var target = process.Name;
            var basis = known ? $"{N(coreCount, "0")} cores" : "1 core (the core count is not exported, so this assumes one)";
            findings.Add(new Finding("cpu_saturation", ratio >= thresholds.CpuCriticalRatio ? Severity.Critical : Severity.Warning,
                target, ratio, "ratio", thresholds.CpuRatio, query,
                $"{target} used {N(series.Value, "0.##")} CPU seconds per second, {N(ratio * 100, "0")} % of {basis}. " +
                $"Profile it under load{RuntimeAdvice.CpuTool(process.Runtime)} and fix the hottest path; scale out if the work is legitimate.")
            {
                NextSteps = RuntimeAdvice.CpuSteps(process),
            });
        }

        return findings;
    }
}
