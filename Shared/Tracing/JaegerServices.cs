namespace PerfTools.Shared.Tracing;

/// <summary>Tells the services a user runs from the ones Jaeger reports about itself.</summary>
public static class JaegerServices
{
    /// <summary>
    /// True for Jaeger's own components, which trace themselves into the same store: <c>jaeger</c> (v2's single
    /// binary) and <c>jaeger-…</c> (<c>jaeger-query</c>, <c>jaeger-all-in-one</c>, <c>jaeger-collector</c>, …).
    /// </summary>
    public static bool IsJaegersOwn(string service) =>
        service.Equals("jaeger", StringComparison.OrdinalIgnoreCase)
        || service.StartsWith("jaeger-", StringComparison.OrdinalIgnoreCase);

    /// <summary>The services worth analysing when the user names none: all but Jaeger's own, in their given order.</summary>
    public static IReadOnlyList<string> Applications(IEnumerable<string> services) =>
        services.Where(s => !string.IsNullOrWhiteSpace(s) && !IsJaegersOwn(s)).ToList();
}
