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

    /// <summary>Every rule over each of the <paramref name="slowest"/> longest traces (by root span), slowest first.</summary>
    public static IReadOnlyList<Finding> Evaluate(IEnumerable<Trace> traces, TraceRuleContext ctx, int slowest = DefaultSlowestTraces)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(ctx);
        return traces
            .Where(t => t.Root is not null)
            .OrderByDescending(t => t.Root!.DurationMicros)
            .ThenBy(t => t.TraceId, StringComparer.Ordinal)
            .Take(slowest)
            .SelectMany(t => All.SelectMany(rule => rule.Evaluate(t, ctx)))
            .ToList();
    }
}
