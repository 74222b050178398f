using System.Globalization;
using System.Text.RegularExpressions;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Text;
using PerfTools.Shared.Tracing;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary><c>connection_pool</c> from traces: time a request spends before its first query with no span open (a wait
/// for a pooled connection leaves exactly that gap), and slow spans that open or acquire a connection.</summary>
/// <remarks>
/// A gap counts when it is at least <see cref="TraceRuleContext.PoolGapMs"/> and <see cref="TraceRuleContext.PoolGapShare"/>
/// of the request, after taking out the time other spans (not the first query's ancestors) cover. One route alone with
/// such a gap may just do work before its query, so it is <c>info</c>; a wait for the pool delays every route that
/// queries, so gaps on two or more routes of one service make each a <c>warning</c>. A span named for opening or
/// acquiring a connection (<c>open</c>, <c>connect</c>, <c>acquire</c>, <c>checkout</c>, <c>getConnection</c>) of at least
/// <see cref="TraceRuleContext.PoolGapMs"/> is a <c>warning</c>, critical from <see cref="TraceRuleContext.ConnectCriticalMs"/>.
/// </remarks>
public sealed partial class ConnectionWaitTraceRule : ITraceSetRule
{
    public string Id => ConnectionPoolRule.RuleId;

    public IReadOnlyList<Finding> Evaluate(IReadOnlyList<Trace> traces, TraceRuleContext ctx)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(ctx);
        var gaps = new List<Gap>();
        var connects = new List<(Trace Trace, Span Span)>();
        var analysed = new Dictionary<(string, string), int>();
        foreach (Trace trace in traces)
        {
            if (trace.Root is not { } root)
            {
                continue;
            }

            analysed[(root.Service, root.Operation)] = analysed.GetValueOrDefault((root.Service, root.Operation)) + 1;
            connects.AddRange(trace.Spans.Where(s => IsConnect(s) && s.DurationMicros / 1000.0 >= ctx.PoolGapMs).Select(s => (trace, s)));
            if (GapBeforeFirstQuery(trace, root) is { } gap && gap.Ms >= ctx.PoolGapMs && gap.Ms >= ctx.PoolGapShare * root.DurationMicros / 1000.0)
            {
                gaps.Add(gap);
            }
        }

        var findings = new List<Finding>();
        var routesWithGaps = gaps.GroupBy(g => g.Root.Service).ToDictionary(g => g.Key, g => g.Select(x => x.Root.Operation).Distinct().Count());
        foreach (var group in gaps.GroupBy(g => (g.Root.Service, g.Root.Operation)).OrderBy(g => g.Key.Service, StringComparer.Ordinal).ThenBy(g => g.Key.Operation, StringComparer.Ordinal))
        {
            var worst = group.OrderByDescending(g => g.Ms).First();
            int routes = routesWithGaps[group.Key.Service];
            double share = worst.Ms / (worst.Root.DurationMicros / 1000.0);
            string seen = string.Create(CultureInfo.InvariantCulture,
                $"{group.Key.Operation} spent up to {Milliseconds.Text(worst.Ms, 1)} ms ({share * 100:0} % of the request) before its first query with no span open, " +
                $"in {group.Count()} of {analysed[group.Key]} analysed trace(s)");
            string recommendation = routes >= 2
                ? $"{seen}, as did {routes - 1} other route(s) of {group.Key.Service}: requests queue for a pooled database connection. {PoolAdvice.HoldBriefly}"
                : $"{seen}: a wait for a pooled connection, or work done before the query; if the request already holds a connection " +
                  "by then, that is a connection other requests wait for. Take the connection only around the queries.";
            findings.Add(new Finding(
                Id,
                routes >= 2 ? Severity.Warning : Severity.Info,
                $"{group.Key.Service}: {group.Key.Operation}",
                worst.Ms,
                "ms",
                ctx.PoolGapMs,
                TraceEvidence.Of(worst.Trace.TraceId, [worst.Root.SpanId, worst.FirstQuery.SpanId]),
                recommendation)
            {
                NextSteps =
                [
                    TraceEvidence.OpenStep(ctx, worst.Trace.TraceId, "look at the gap between the request's start and its first query span"),
                    "compare with the pool's metrics (pending requests, timeouts): waiters at the same time confirm a wait for a connection",
                ],
            });
        }

        foreach (var group in connects.GroupBy(c => (c.Span.Service, c.Span.Operation)).OrderBy(g => g.Key.Service, StringComparer.Ordinal).ThenBy(g => g.Key.Operation, StringComparer.Ordinal))
        {
            var worst = group.OrderByDescending(c => c.Span.DurationMicros).First();
            double ms = worst.Span.DurationMicros / 1000.0;
            findings.Add(new Finding(
                Id,
                ms >= ctx.ConnectCriticalMs ? Severity.Critical : Severity.Warning,
                $"{group.Key.Service}: {group.Key.Operation}",
                ms,
                "ms",
                ctx.PoolGapMs,
                TraceEvidence.Of(worst.Trace.TraceId, group.Select(c => c.Span.SpanId).ToList()),
                string.Create(CultureInfo.InvariantCulture,
                    $"{group.Count()} span(s) opening or acquiring a database connection took up to {Milliseconds.Text(ms, 1)} ms, in trace {worst.Trace.TraceId}: ") +
                "if it waits for the pool, connections are held too long or the pool is too small (hold a connection only around the " +
                "queries, then size the pool to the database); if it opens a new connection each time, keep pooling on with a few " +
                "connections kept open (a minimum pool size).")
            {
                NextSteps = [TraceEvidence.OpenStep(ctx, worst.Trace.TraceId, "see what the request did while the connection was being opened or acquired")],
            });
        }

        return findings;
    }

    private sealed record Gap(Trace Trace, Span Root, Span FirstQuery, double Ms);

    /// <summary>The time from the request's start to its first query that no other span covers (its ancestors aside:
    /// they cover it by definition).</summary>
    private static Gap? GapBeforeFirstQuery(Trace trace, Span root)
    {
        var first = trace.Spans.Where(s => DbSpans.IsDb(s) && !IsConnect(s) && s.SpanId != root.SpanId)
            .OrderBy(s => s.StartMicros).FirstOrDefault();
        if (first is null || first.StartMicros <= root.StartMicros)
        {
            return null;
        }

        var byId = trace.Spans.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var ancestors = new HashSet<string>(StringComparer.Ordinal);
        for (string? id = first.ParentSpanId; id is not null && byId.TryGetValue(id, out var parent) && ancestors.Add(id);)
        {
            id = parent.ParentSpanId;
        }

        long from = root.StartMicros, to = first.StartMicros;
        var covered = trace.Spans
            .Where(s => s.SpanId != root.SpanId && s.SpanId != first.SpanId && !ancestors.Contains(s.SpanId))
            .Select(s => (Start: Math.Max(s.StartMicros, from), End: Math.Min(s.EndMicros, to)))
            .Where(i => i.End > i.Start)
            .OrderBy(i => i.Start)
            .ToList();
        long coveredMicros = 0, reach = from;
        foreach (var (start, end) in covered)
        {
            if (end > reach)
            {
                coveredMicros += end - Math.Max(start, reach);
                reach = end;
            }
        }

        return new Gap(trace, root, first, (to - from - coveredMicros) / 1000.0);
    }

    /// <summary>A client or internal span that opens or acquires a database connection.</summary>
    private static bool IsConnect(Span span) =>
        span.Kind is not "server" && ConnectOperation().IsMatch(span.Operation)
        && (DbSpans.IsDb(span) || DatabaseWord().IsMatch(span.Operation));

    // "sql.connector.connect", "Open connection", "acquire", "pool.checkout", "getConnection", "OpenConnection"
    [GeneratedRegex(@"(?:^|[\s._:/-])(?:open|connect|acquire|checkout)(?:$|[\s._:/-])|(?:open|acquire|get|checkout)[\s_.]?connection", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConnectOperation();

    // "sql.conn.open", "db.connect", "HikariPool.getConnection"; not "connect to cache".
    [GeneratedRegex(@"\bconn\b|connection|pool|sql|\bdb\b|jdbc|hikari|npgsql|postgres|mysql|database", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DatabaseWord();
}
