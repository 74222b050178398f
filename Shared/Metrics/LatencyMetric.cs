namespace PerfTools.Shared.Metrics;

/// <summary>A discovered duration family (HTTP server or DB) and the labels that carry route, method and status.</summary>
/// <param name="Name">Family name without suffix: <c>http_request_duration_seconds</c>.</param>
/// <param name="Unit"><c>seconds</c>, <c>milliseconds</c> or <c>microseconds</c>, from the name's suffix.</param>
/// <param name="SecondsPerUnit">Multiply a value by this to get seconds.</param>
/// <param name="HasMax">A <c>_max</c> gauge exists (Micrometer).</param>
public sealed record LatencyMetric(
    string Name,
    LatencyKind Kind,
    string Unit,
    double SecondsPerUnit,
    string? RouteLabel,
    string? MethodLabel,
    string? StatusLabel,
    bool HasMax)
{
    public string Bucket => Name + "_bucket";

    public string Count => Name + "_count";

    public string Sum => Name + "_sum";

    public string Max => Name + "_max";
}
