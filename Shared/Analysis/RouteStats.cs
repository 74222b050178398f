namespace PerfTools.Shared.Analysis;

/// <summary>What one route (one request label, <c>GET /boards/{id}</c>) of a simulated scenario measured, computed with
/// the scenario's <see cref="SimulationStats"/>; the JSON's <c>routes</c>, a console line and a row of the page.</summary>
/// <param name="Label">The request label, <c>METHOD path-template</c>.</param>
/// <param name="Headline">Whether the scenario's own figures (latency, counts, per-second series, comparison samples)
/// include this route's requests; false for a route reported beside them, such as <c>connection_pool</c>'s
/// pool-holding <c>GET /slow</c>.</param>
/// <param name="Late">Requests sent at least <see cref="Http.LoadRunner.LateThreshold"/> after their due time.</param>
/// <param name="Latency">Corrected: from the due time to the last byte, over the requests that got a response.</param>
/// <param name="LatencyUncorrected">Raw: from the actual send to the last byte.</param>
/// <param name="StatusCodes">Responses by HTTP status, ascending.</param>
/// <param name="ErrorsByKind">Failed requests by <see cref="Http.ErrorKind"/> name.</param>
public sealed record RouteStats(
    string Label,
    bool Headline,
    long Requests,
    long Ok,
    long Errors,
    long Late,
    LatencySummary Latency,
    LatencySummary LatencyUncorrected,
    IReadOnlyDictionary<int, long> StatusCodes,
    IReadOnlyDictionary<string, long> ErrorsByKind)
{
    /// <summary>The route's corrected latencies as (µs, count) per non-empty 3-digit bucket, ascending, as
    /// <see cref="SimulationStats.LatencyHistogram"/> holds the scenario's: what lets the routes of N shards add up
    /// exactly (<c>--merge</c>). Empty when read from a file written before it existed.</summary>
    public IReadOnlyList<(long ValueMicros, long Count)> LatencyHistogram { get; init; } = [];

    /// <summary>The route's uncorrected latencies likewise.</summary>
    public IReadOnlyList<(long ValueMicros, long Count)> LatencyHistogramUncorrected { get; init; } = [];

    /// <summary>Whether its histograms are there (or no response came, so there is nothing to hold), so it can be
    /// merged exactly.</summary>
    public bool HasHistograms => StatusCodes.Values.Sum() == 0 || (LatencyHistogram.Count > 0 && LatencyHistogramUncorrected.Count > 0);
}
