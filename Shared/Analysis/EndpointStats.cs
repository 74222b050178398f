namespace PerfTools.Shared.Analysis;

/// <summary>The completed statistics of one endpoint: what every report (console, CSV, HTML, chart) reads.</summary>
/// <remarks>Latency is in µs, as the <see cref="LatencyRecorder"/> holds it; reports convert to ms only where they
/// write text, as they do with the simulator's <see cref="LatencySummary"/>. Min, percentiles and max are the
/// recorder's integers; the mean and the standard deviation are exact (Welford's, not rounded to the µs), so they stay
/// doubles.</remarks>
/// <param name="Count">Requests sent (warm-up excluded).</param>
/// <param name="Measured">Requests with a response; the latency figures describe these.</param>
/// <param name="Errors">Requests that failed, of any kind (including HTTP 4xx/5xx).</param>
/// <param name="ErrorsByKind">Error counts keyed by <see cref="Http.ErrorKind"/> name.</param>
/// <param name="MinMicros">Exact smallest latency, µs; 0 when nothing was measured.</param>
/// <param name="MeanMicros">Exact mean latency, µs; 0 when nothing was measured.</param>
/// <param name="P50Micros">Nearest-rank percentile, µs, as <see cref="LatencyRecorder.ValueAtPercentileMicros"/>
/// gives it; <paramref name="P90Micros"/>, <paramref name="P95Micros"/> and <paramref name="P99Micros"/> alike.</param>
/// <param name="MaxMicros">Exact largest latency, µs; 0 when nothing was measured.</param>
/// <param name="StdDevMicros">Sample standard deviation (n − 1), µs; 0 below 2 measured requests.</param>
/// <param name="ThroughputRps">Count divided by the wall time from the first send to the last completion.</param>
/// <param name="ServerTimeMeanMs">Mean server-reported time, when the server reports one; ms, not µs, because the
/// server sends ms (<c>Server-Timing</c>'s <c>dur</c> and <c>X-Response-Time-Ms</c> are ms by definition) and
/// nothing records it into a histogram.</param>
public sealed record EndpointStats(
    string Label,
    long Count,
    long Measured,
    long Errors,
    IReadOnlyDictionary<string, long> ErrorsByKind,
    long MinMicros,
    double MeanMicros,
    long P50Micros,
    long P90Micros,
    long P95Micros,
    long P99Micros,
    long MaxMicros,
    double StdDevMicros,
    double ThroughputRps,
    double? ServerTimeMeanMs)
{
    /// <summary>The measured latencies as the recorder holds them (<see cref="LatencyRecorder.RecordedValues"/>: one
    /// pair per non-empty bucket, µs), for a report that needs more of the distribution than the figures above; empty
    /// when read back from a summary CSV, which does not carry it.</summary>
    public IReadOnlyList<(long ValueMicros, long Count)> LatencyHistogram { get; init; } = [];
}
