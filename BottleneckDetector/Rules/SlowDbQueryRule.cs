using System.Globalization;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Tracing;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary><c>slow_db_query</c>: DB spans at or above the threshold, one finding per statement fingerprint.</summary>
public sealed class SlowDbQueryRule : ITraceRule
{
    public string Id => "slow_db_query";

    public IReadOnlyList<Finding> Evaluate(Trace trace, TraceRuleContext ctx)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(ctx);
        return trace.Spans
            .Where(s => DbSpans.IsDb(s) && s.DurationMicros / 1000.0 >= ctx.SlowDbMs)
            .GroupBy(s => (s.Service, Query: DbSpans.QueryName(s)))
            .Select(g =>
            {
                var spans = g.OrderByDescending(s => s.DurationMicros).ToList();
                var maxMs = spans[0].DurationMicros / 1000.0;
                return new Finding(
                    Id,
                    maxMs >= 2 * ctx.SlowDbMs ? Severity.Critical : Severity.Warning,
                    $"{g.Key.Service}: {g.Key.Query}",
                    maxMs,
                    "ms",
                    ctx.SlowDbMs,
                    TraceEvidence.Of(trace.TraceId, spans.Select(s => s.SpanId).ToList()),
                    string.Create(CultureInfo.InvariantCulture,
                        $"{spans.Count} call(s), slowest {maxMs:0.#} ms, in trace {trace.TraceId}: run EXPLAIN (ANALYZE) on the statement, check its indexes and the rows it reads"))
                {
                    NextSteps =
                    [
                        TraceEvidence.OpenStep(ctx, trace.TraceId, "read the statement and its parameters on its slowest span"),
                        $"run the statement of {g.Key.Service}: {g.Key.Query} under EXPLAIN (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL) and look for a missing index",
                    ],
                };
            })
            .OrderByDescending(f => f.Value)
            .ToList();
    }
}
