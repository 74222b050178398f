using PerfTools.Shared.Tracing;

namespace PerfTools.Tests.Tracing;

/// <summary>Builds small traces in milliseconds for span-analysis tests.</summary>
internal static class TestTraces
{
    public const string TraceId = "0af7651916cd43dd8448eb211c80319c";

    // An arbitrary epoch offset, so no test depends on times starting at zero.
    private const long EpochMicros = 1_700_000_000_000_000;

    public static Span Span(string spanId, string? parentId, string operation, double startMs, double durationMs,
        string service = "forum-api", IReadOnlyDictionary<string, string>? tags = null) =>
        new(TraceId, spanId.PadLeft(16, '0'), parentId?.PadLeft(16, '0'), service, operation,
            EpochMicros + (long)Math.Round(startMs * 1000), (long)Math.Round(durationMs * 1000), null,
            tags ?? new Dictionary<string, string>(), false);

    public static Trace Trace(params Span[] spans) => new(TraceId, spans);

    public static string Id(string shortId) => shortId.PadLeft(16, '0');

    /// <summary>A root span "1" of <paramref name="rootMs"/> with the given children under it.</summary>
    public static Trace Under(double rootMs, IEnumerable<Span> children) =>
        Trace([Span("1", null, "GET /owners", 0, rootMs), .. children]);

    /// <summary><paramref name="count"/> DB children of span "1", one every <paramref name="everyMs"/>, each <paramref name="durationMs"/> long.</summary>
    public static IEnumerable<Span> Queries(int count, double everyMs, double durationMs, double firstMs = 1) =>
        Enumerable.Range(1, count).Select(i => Span($"a{i:x}", "1", "SELECT", firstMs + (i - 1) * everyMs, durationMs, "forum-db",
            new Dictionary<string, string> { ["db.system"] = "postgresql", ["db.statement"] = $"SELECT * FROM pets WHERE owner_id = {i}" }));
}
