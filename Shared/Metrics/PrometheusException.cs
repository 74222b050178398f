using System.Net;

namespace PerfTools.Shared.Metrics;

/// <summary>A failed Prometheus API call, with the API's error type and the HTTP status where there was one.</summary>
public sealed class PrometheusException : Exception
{
    public PrometheusException(PrometheusErrorKind kind, HttpStatusCode? status, string? errorType, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Status = status;
        ErrorType = errorType;
    }

    public PrometheusErrorKind Kind { get; }

    /// <summary>HTTP status, null when no response arrived.</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>The API's <c>errorType</c> verbatim (<c>bad_data</c>, <c>execution</c>, ...), null when the body had none.</summary>
    public string? ErrorType { get; }
}
