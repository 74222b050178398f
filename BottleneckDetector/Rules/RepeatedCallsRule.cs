using System.Globalization;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Tracing;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary>
/// <c>repeated_calls</c>: the N+1 pattern generalised: one call made again and again, one after another, under
/// one parent (see <see cref="RepeatedCallDetector"/>). Calls made in parallel are not reported.
/// </summary>
public sealed class RepeatedCallsRule : ITraceRule
{
    public string Id => "repeated_calls";

    public IReadOnlyList<Finding> Evaluate(Trace trace, TraceRuleContext ctx)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(ctx);
        return RepeatedCallDetector.Find(trace, ctx.RepeatedMinCount, ctx.RepeatedMinUnionMs)
            .Select(r => new Finding(
                Id,
                // Half the trace or more spent in one loop of calls is the bottleneck, not a detail.
                r.UnionMs >= 0.5 * trace.DurationMicros / 1000.0 ? Severity.Critical : Severity.Warning,
                $"{r.Service}: {r.Operation}",
                r.Count,
                "calls",
                ctx.RepeatedMinCount,
                TraceEvidence.Of(trace.TraceId, r.SpanIds),
                string.Create(CultureInfo.InvariantCulture,
                    $"{r.Count} sequential calls took {r.UnionMs:0.#} ms under {r.ParentOperation} (span {r.ParentSpanId}) in trace {r.TraceId}: batch them into one call (IN-list, bulk GET, eager loading), or run them concurrently"))
            {
                NextSteps = [TraceEvidence.OpenStep(ctx, trace.TraceId, "batch the repeated statements under one parent")],
            })
            .ToList();
    }
}
