namespace PerfTools.Shared.Tracing;

/// <summary>Where one request's time went: per operation, in the database, and in repeated statements.</summary>
/// <param name="TraceId">Lowercase 32-hex trace id.</param>
/// <param name="RootSpanId">The span the analysis is rooted at; null for an empty trace.</param>
/// <param name="RootOperation">That span's operation, e.g. "HTTP GET /dispatch".</param>
/// <param name="TotalMs">ms: the whole trace's extent when analysed from its own root, else the chosen span's duration.</param>
/// <param name="SpanCount">Spans analysed: the root and its descendants.</param>
/// <param name="Operations">By (service, operation), largest total first.</param>
/// <param name="DbSpanCount">Spans with db.query.text, db.statement, sql.query, sql or db.system tags.</param>
/// <param name="DbVerbs">DB span count per SQL verb, most frequent first.</param>
/// <param name="DbMs">Union of the DB spans' intervals, ms: parallel queries count once, as wall-clock time.</param>
/// <param name="DbShare">DbMs / TotalMs, clamped to 0..1 (spans outside the root, e.g. from clock skew, cannot exceed it).</param>
/// <param name="RepeatedStatements">Exact statements (after whitespace collapse) seen at least twice, most frequent first.</param>
/// <param name="RepeatedFingerprints">Statement fingerprints (literals as ?) seen at least twice, most frequent first.</param>
/// <param name="NPlusOneHints">Fingerprints repeated at least <see cref="NPlusOneThreshold"/> times under one parent.</param>
public sealed record TraceBreakdown(
    string TraceId,
    string? RootSpanId,
    string? RootOperation,
    double TotalMs,
    int SpanCount,
    IReadOnlyList<OperationStat> Operations,
    int DbSpanCount,
    IReadOnlyList<DbVerbStat> DbVerbs,
    double DbMs,
    double DbShare,
    IReadOnlyList<DbStatementStat> RepeatedStatements,
    IReadOnlyList<DbStatementStat> RepeatedFingerprints,
    IReadOnlyList<NPlusOneHint> NPlusOneHints)
{
    /// <summary>Repetitions of one fingerprint under one parent that make an N+1 hint.</summary>
    public const int NPlusOneThreshold = 5;

    private const double MicrosPerMs = 1000.0;

    /// <summary>
    /// Analyses the subtree under <paramref name="rootSpanId"/>, or under <see cref="Trace.Root"/> when null
    /// (spans not reachable from that root, e.g. a second root, are then included too, so nothing is lost).
    /// </summary>
    /// <exception cref="ArgumentException">rootSpanId is not a span of the trace.</exception>
    public static TraceBreakdown Analyze(Trace trace, string? rootSpanId = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        Span? root;
        IReadOnlyList<Span> spans;
        if (rootSpanId is null)
        {
            root = trace.Root;
            spans = trace.Spans;
        }
        else
        {
            var id = TraceIds.NormalizeSpanId(rootSpanId);
            root = trace.Spans.FirstOrDefault(s => s.SpanId == id)
                ?? throw new ArgumentException($"span {rootSpanId} is not in trace {trace.TraceId}", nameof(rootSpanId));
            spans = Subtree(trace, root);
        }

        // The whole trace's extent when analysing from its own root: a child may outlive the root span.
        double totalMicros = root is null ? 0 : rootSpanId is null ? Math.Max(root.DurationMicros, trace.DurationMicros) : root.DurationMicros;
        // A span is not its own child. Children are merged once per parent id: every duplicate of an id shares them, and
        // a trace of many duplicates (instrumentation reusing ids) must not cost duplicates × children.
        var coverage = spans
            .Where(s => s.ParentSpanId is not null && s.ParentSpanId != s.SpanId)
            .GroupBy(s => s.ParentSpanId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new Coverage(g.Select(c => (c.StartMicros, c.EndMicros))), StringComparer.Ordinal);

        var operations = spans
            .GroupBy(s => (s.Service, s.Operation))
            .Select(g => new OperationStat(
                g.Key.Service,
                g.Key.Operation,
                g.Count(),
                // Summed as doubles: a corrupt span of near long.MaxValue µs must not overflow a checked long sum.
                g.Sum(s => (double)s.DurationMicros) / MicrosPerMs,
                g.Sum(s => (double)SelfMicros(s, coverage)) / MicrosPerMs))
            .OrderByDescending(o => o.TotalMs)
            .ThenBy(o => o.Service, StringComparer.Ordinal)
            .ThenBy(o => o.Operation, StringComparer.Ordinal)
            .ToList();

        var db = spans.Where(SqlText.IsDbSpan).ToList();
        var verbs = db
            .GroupBy(SqlText.Verb)
            .Select(g => new DbVerbStat(g.Key, g.Count()))
            .OrderByDescending(v => v.Count)
            .ThenBy(v => v.Verb, StringComparer.Ordinal)
            .ToList();
        var dbMicros = UnionMicros(db.Select(s => (s.StartMicros, s.EndMicros)));
        var share = totalMicros > 0 ? Math.Clamp(dbMicros / totalMicros, 0, 1) : 0;

        var statements = db
            .Select(s => (Span: s, Text: SqlText.Statement(s)))
            .Where(x => x.Text is not null)
            .Select(x => (x.Span, Text: x.Text!, Fingerprint: SqlText.Fingerprint(x.Text!)))
            .ToList();
        var repeated = Repeated(statements.Select(x => (x.Text, x.Span)));
        var fingerprints = Repeated(statements.Select(x => (x.Fingerprint, x.Span)));

        var spanById = trace.Spans.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var hints = statements
            .Where(x => x.Span.ParentSpanId is not null)
            .GroupBy(x => (Parent: x.Span.ParentSpanId!, x.Fingerprint))
            .Where(g => g.Count() >= NPlusOneThreshold)
            .Select(g => new NPlusOneHint(
                g.Key.Parent,
                spanById.TryGetValue(g.Key.Parent, out var parent) ? parent.Operation : "",
                g.Key.Fingerprint,
                g.Count(),
                g.Sum(x => (double)x.Span.DurationMicros) / MicrosPerMs))
            .OrderByDescending(h => h.Count)
            .ThenBy(h => h.Fingerprint, StringComparer.Ordinal)
            .ToList();

        return new TraceBreakdown(
            trace.TraceId,
            root?.SpanId,
            root?.Operation,
            totalMicros / MicrosPerMs,
            spans.Count,
            operations,
            db.Count,
            verbs,
            dbMicros / MicrosPerMs,
            share,
            repeated,
            fingerprints,
            hints);
    }

    /// <summary>Total length covered by the intervals, µs; overlapping parts count once.</summary>
    internal static long UnionMicros(IEnumerable<(long Start, long End)> intervals)
    {
        long total = 0;
        long? currentStart = null;
        long currentEnd = 0;
        foreach (var (start, end) in intervals.Where(i => i.End > i.Start).OrderBy(i => i.Start))
        {
            if (currentStart is null || start > currentEnd)
            {
                total += currentStart is null ? 0 : currentEnd - currentStart.Value;
                currentStart = start;
                currentEnd = end;
            }
            else
            {
                currentEnd = Math.Max(currentEnd, end);
            }
        }

        return total + (currentStart is null ? 0 : currentEnd - currentStart.Value);
    }

    /// <summary>The span's duration less the time its children cover within it.</summary>
    private static long SelfMicros(Span span, Dictionary<string, Coverage> coverage) =>
        Math.Max(0, span.DurationMicros - (coverage.TryGetValue(span.SpanId, out var children) ? children.Within(span.StartMicros, span.EndMicros) : 0));

    private static List<DbStatementStat> Repeated(IEnumerable<(string Text, Span Span)> items) =>
        items
            .GroupBy(x => x.Text, StringComparer.Ordinal)
            .Where(g => g.Count() >= 2)
            .Select(g => new DbStatementStat(g.Key, g.Count(), g.Sum(x => (double)x.Span.DurationMicros) / MicrosPerMs))
            .OrderByDescending(s => s.Count)
            .ThenByDescending(s => s.TotalMs)
            .ThenBy(s => s.Statement, StringComparer.Ordinal)
            .ToList();

    private static List<Span> Subtree(Trace trace, Span root)
    {
        var byParent = trace.Spans.Where(s => s.ParentSpanId is not null).ToLookup(s => s.ParentSpanId!, StringComparer.Ordinal);
        var result = new List<Span>();
        var seen = new HashSet<Span>(ReferenceEqualityComparer.Instance);
        var expanded = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<Span>([root]);
        while (stack.Count > 0)
        {
            var span = stack.Pop();
            // Duplicate span ids occur in real data (see the otlp2jaeger fixture); guard against cycles.
            if (!seen.Add(span))
            {
                continue;
            }

            result.Add(span);
            // Duplicates of an id share its children: pushing them once per duplicate would be quadratic.
            if (!expanded.Add(span.SpanId))
            {
                continue;
            }

            foreach (var child in byParent[span.SpanId])
            {
                stack.Push(child);
            }
        }

        return result.OrderBy(s => s.StartMicros).ToList();
    }

    /// <summary>The union of some intervals (µs), merged once, so the part of it inside any window is a pair of binary searches.</summary>
    private sealed class Coverage
    {
        private readonly List<long> _starts = [];
        private readonly List<long> _ends = [];
        private readonly List<long> _before = []; // µs covered by the merged intervals before each one

        public Coverage(IEnumerable<(long Start, long End)> intervals)
        {
            long total = 0;
            foreach (var (start, end) in intervals.Where(i => i.End > i.Start).OrderBy(i => i.Start))
            {
                if (_starts.Count > 0 && start <= _ends[^1])
                {
                    total += Math.Max(0, end - _ends[^1]);
                    _ends[^1] = Math.Max(_ends[^1], end);
                    continue;
                }

                _starts.Add(start);
                _ends.Add(end);
                _before.Add(total);
                total += end - start;
            }
        }

        /// <summary>µs of the union inside [start, end].</summary>
        public long Within(long start, long end)
        {
            if (end <= start || _starts.Count == 0)
            {
                return 0;
            }

            var first = FirstAbove(_ends, start); // the first interval ending after the window starts
            var last = FirstAbove(_starts, end - 1) - 1; // the last one starting before the window ends
            if (first > last)
            {
                return 0;
            }

            var whole = _before[last] - _before[first] + (_ends[last] - _starts[last]);
            return whole - Math.Max(0, start - _starts[first]) - Math.Max(0, _ends[last] - end);
        }

        /// <summary>The index of the first value above <paramref name="value"/> in an ascending list; its count when there is none.</summary>
        private static int FirstAbove(List<long> sorted, long value)
        {
            int low = 0, high = sorted.Count;
            while (low < high)
            {
                var middle = low + ((high - low) / 2);
                if (sorted[middle] > value)
                {
                    high = middle;
                }
                else
                {
                    low = middle + 1;
                }
            }

            return low;
        }
    }
}
