namespace PerfTools.Shared.Analysis;

/// <summary>The completed statistics of one endpoint: what every report (console, CSV, JSON, chart) reads.</summary>
/// <param name="Count">Requests sent (warm-up excluded).</param>
/// <param name="Measured">Requests with a response; the latency figures describe these.</param>
/// <param name="Errors">Requests that failed, of any kind (including HTTP 4xx/5xx).</param>
/// <param name="ErrorsByKind">Error counts keyed by <see cref="Http.ErrorKind"/> name.</param>
/// <param name="ThroughputRps">Count divided by the wall time from the first send to the last completion.</param>
/// <param name="ServerTimeMeanMs">Mean server-reported time, when the server reports one.</param>
public sealed record EndpointStats(
    string Label,
    long Count,
    long Measured,
    long Errors,
    IReadOnlyDictionary<string, long> ErrorsByKind,
    double MinMs,
    double MeanMs,
    double P50Ms,
    double P90Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs,
    double StdDevMs,
    double ThroughputRps,
    double? ServerTimeMeanMs);
