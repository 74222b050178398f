using PerfTools.Shared.Analysis;
using PerfTools.Shared.Tracing;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary>The trace rules the detector runs, and how it applies them to the slowest traces of a window.</summary>
public static class TraceRules
{
    /// <summary>Default: how many of the slowest traces are analysed.</summary>
    public const int DefaultSlowestTraces = 20;

    public static IReadOnlyList<ITraceRule> All { get; } =
        [new SlowTraceRule(), new SlowDbQueryRule(), new RepeatedCallsRule(), new CriticalPathRule()];

    /// <summary>The rules that judge the analysed traces together, after the per-trace ones.</summary>
    public static IReadOnlyList<ITraceSetRule> AcrossTraces { get; } = [new ConnectionWaitTraceRule()];

    /// <summary>Every rule over each of the <paramref name="slowest"/> longest traces (by root span), slowest first; then
    /// the rules over all of them.</summary>
    public static IReadOnlyList<Finding> Evaluate(IEnumerable<Trace> traces, TraceRuleContext ctx, int slowest = DefaultSlowestTraces)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(ctx);
        var analysed = traces
            .Where(t => t.Root is not null)
            .OrderByDescending(t => t.Root!.DurationMicros)
            .ThenBy(t => t.TraceId, StringComparer.Ordinal)
            .Take(slowest)
            .ToList();
        return analysed
            .SelectMany(t => All.SelectMany(rule => rule.Evaluate(t, ctx)))
            .Concat(AcrossTraces.SelectMany(rule => rule.Evaluate(analysed, ctx)))
            .ToList();
    }
}
