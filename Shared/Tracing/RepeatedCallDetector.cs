namespace PerfTools.Shared.Tracing;

/// <summary>
/// Finds sequences of the same call under one parent, each starting after the previous one ended: work a loop does
/// one item at a time that one batched call could do. Calls that overlap (run in parallel) break a sequence.
/// </summary>
public static class RepeatedCallDetector
{
    /// <summary>Default: this many calls in a row make a finding.</summary>
    public const int DefaultMinCount = 5;

    /// <summary>Default: ms the sequence must cover; a burst of sub-millisecond cache hits is not worth a finding.</summary>
    public const double DefaultMinUnionMs = 50;

    /// <summary>
    /// A call still counts as after the previous one when it starts before that one ended by at most this share
    /// of the shorter call: span timestamps carry clock jitter, and instrumentation ends a span a little late.
    /// </summary>
    public const double OverlapToleranceRatio = 0.1;

    /// <summary>Every sequence of at least <paramref name="minCount"/> calls covering at least <paramref name="minUnionMs"/>, longest time first.</summary>
    public static IReadOnlyList<RepeatedCalls> Find(Trace trace, int minCount = DefaultMinCount, double minUnionMs = DefaultMinUnionMs)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var spanById = trace.Spans.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var found = new List<RepeatedCalls>();
        var groups = trace.Spans
            .Where(s => s.ParentSpanId is not null && s.ParentSpanId != s.SpanId)
            .GroupBy(s => (Parent: s.ParentSpanId!, s.Service, Name: CallNames.Normalize(s)));
        foreach (var group in groups)
        {
            foreach (var run in SequentialRuns(group.OrderBy(s => s.StartMicros).ThenBy(s => s.EndMicros)))
            {
                var unionMs = TraceBreakdown.UnionMicros(run.Select(s => (s.StartMicros, s.EndMicros))) / 1000.0;
                if (run.Count >= minCount && unionMs >= minUnionMs)
                {
                    var parentOperation = spanById.TryGetValue(group.Key.Parent, out var parent) ? parent.Operation : "";
                    found.Add(new RepeatedCalls(trace.TraceId, group.Key.Parent, parentOperation, group.Key.Service, group.Key.Name,
                        run.Count, unionMs, run.Select(s => s.SpanId).ToList()));
                }
            }
        }

        return found
            .OrderByDescending(r => r.UnionMs)
            .ThenBy(r => r.ParentSpanId, StringComparer.Ordinal)
            .ThenBy(r => r.Operation, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Splits calls (in start order) wherever one overlaps the calls before it by more than the tolerance.</summary>
    private static IEnumerable<List<Span>> SequentialRuns(IEnumerable<Span> calls)
    {
        var run = new List<Span>();
        long runEnd = 0;
        long lastDuration = 0;
        foreach (var call in calls)
        {
            var tolerance = (long)(OverlapToleranceRatio * Math.Min(lastDuration, call.DurationMicros));
            if (run.Count > 0 && call.StartMicros < runEnd - tolerance)
            {
                yield return run;
                run = [];
            }

            run.Add(call);
            runEnd = run.Count == 1 ? call.EndMicros : Math.Max(runEnd, call.EndMicros);
            lastDuration = call.DurationMicros;
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }
}
