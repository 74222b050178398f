using System.Globalization;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Tracing;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary>
/// <c>critical_path</c>: one operation's own work takes a large share of the request's critical path
/// (see <see cref="CriticalPath"/>), so speeding it up shortens the request by that much.
/// </summary>
public sealed class CriticalPathRule : ITraceRule
{
    public string Id => "critical_path";

    public IReadOnlyList<Finding> Evaluate(Trace trace, TraceRuleContext ctx)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(ctx);
        var path = CriticalPath.Compute(trace);
        return path.ByOperation()
            .Where(o => o.Share >= ctx.CriticalShare)
            .Select(o => new Finding(
                Id,
                o.Share >= 0.5 ? Severity.Warning : Severity.Info,
                $"{o.Service}: {o.Operation}",
                o.Share,
                "ratio",
                ctx.CriticalShare,
                TraceEvidence.Of(trace.TraceId, o.SpanIds),
                string.Create(CultureInfo.InvariantCulture,
                    $"{o.SpanIds.Count} span(s) spent {o.SelfMs:0.#} ms of the {path.TotalMs:0.#} ms critical path of trace {trace.TraceId} in their own work: make this operation faster, or take it off the path (cache it, run it in parallel, defer it)"))
            {
                NextSteps = [TraceEvidence.OpenStep(ctx, trace.TraceId, "start with the longest span on its critical path")],
            })
            .ToList();
    }
}
