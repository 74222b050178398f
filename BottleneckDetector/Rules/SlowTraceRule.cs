using System.Globalization;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Tracing;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary><c>slow_trace</c>: the request (its root span) took longer than the threshold.</summary>
public sealed class SlowTraceRule : ITraceRule
{
    public string Id => "slow_trace";

    public IReadOnlyList<Finding> Evaluate(Trace trace, TraceRuleContext ctx)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(ctx);
        if (trace.Root is not { } root)
        {
            return [];
        }

        var ms = root.DurationMicros / 1000.0;
        if (ms < ctx.SlowTraceMs)
        {
            return [];
        }

        var slowestChild = trace.Children(root.SpanId).MaxBy(s => s.DurationMicros);
        var hint = slowestChild is null
            ? "it has no child spans: profile the service itself or add spans around its work"
            : string.Create(CultureInfo.InvariantCulture,
                $"start with its longest child, {slowestChild.Service} {slowestChild.Operation} ({slowestChild.DurationMicros / 1000.0:0.#} ms), and its critical path");
        return
        [
            new Finding(
                Id,
                ms >= 2 * ctx.SlowTraceMs ? Severity.Critical : Severity.Warning,
                $"{root.Service}: {root.Operation}",
                ms,
                "ms",
                ctx.SlowTraceMs,
                TraceEvidence.Of(trace.TraceId, [root.SpanId]),
                string.Create(CultureInfo.InvariantCulture,
                    $"trace {trace.TraceId} took {ms:0.#} ms ({trace.Spans.Count} spans); {hint}"))
            {
                NextSteps = [TraceEvidence.OpenStep(ctx, trace.TraceId, "start with the longest span on its critical path")],
            },
        ];
    }
}
