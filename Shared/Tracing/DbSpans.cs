namespace PerfTools.Shared.Tracing;

/// <summary>What rules outside this assembly need to know about DB spans, on top of the internal <see cref="SqlText"/>.</summary>
public static class DbSpans
{
    /// <summary>True for a span with db.system(.name) or a SQL statement tag.</summary>
    public static bool IsDb(Span span) => SqlText.IsDbSpan(span);

    /// <summary>The statement's fingerprint (literals and IN-lists as <c>?</c>), else the span's operation.</summary>
    public static string QueryName(Span span) =>
        SqlText.Statement(span) is { } sql ? SqlText.Fingerprint(sql) : span.Operation;
}
