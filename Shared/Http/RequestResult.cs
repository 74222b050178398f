namespace PerfTools.Shared.Http;

/// <summary>One request as measured: the unit every summary and report is folded from.</summary>
/// <param name="Label">Endpoint label, <c>METHOD path-template</c> (<c>GET /boards/{id}</c>).</param>
/// <param name="StatusCode">HTTP status, 0 when no response arrived.</param>
/// <param name="StartedAt">Wall-clock time of the actual send.</param>
/// <param name="LagMicros">How long after its due time the request was actually sent (0 when not paced; negative
/// when a paced request went out up to a timer tick early). Latency corrected for coordinated omission is
/// <see cref="TotalMicros"/> plus the positive part of the lag.</param>
/// <param name="TtfbMicros">Send to response headers, µs; -1 when no response arrived.</param>
/// <param name="TotalMicros">Send to last body byte (or to the failure), µs.</param>
/// <param name="Bytes">Response body bytes read.</param>
/// <param name="TraceId">32 hex: the server's <c>X-Trace-ID</c> when present, else the sent <c>traceparent</c>'s.</param>
/// <param name="ServerTimeMs">Server-reported time (<c>X-Response-Time-Ms</c> or <c>Server-Timing</c>), when present.</param>
public sealed record RequestResult(
    string Label,
    string Method,
    string Url,
    int StatusCode,
    DateTimeOffset StartedAt,
    long LagMicros,
    long TtfbMicros,
    long TotalMicros,
    long Bytes,
    string? TraceId,
    double? ServerTimeMs,
    ErrorKind Error,
    string? ErrorMessage)
{
    /// <summary>Same-origin redirects followed before the final response; its latency covers them all.</summary>
    public int Redirects { get; init; }

    public bool IsSuccess => Error == ErrorKind.None;

    /// <summary>Whether a response arrived, so the latency describes the server.</summary>
    public bool HasResponse => StatusCode > 0;

    public long CorrectedMicros => TotalMicros + Math.Max(0, LagMicros);

    public double TotalMs => TotalMicros / 1000.0;
}
