namespace PerfTools.Shared.Metrics;

/// <summary>Why a Prometheus API call failed: the API's own <c>errorType</c>s plus the failures around it.</summary>
public enum PrometheusErrorKind
{
    /// <summary><c>bad_data</c> (HTTP 400): the query or a parameter is invalid.</summary>
    BadData,

    /// <summary><c>execution</c> (HTTP 422): the expression is valid but cannot be evaluated.</summary>
    Execution,

    /// <summary><c>timeout</c> (HTTP 503): the query ran out of time on the server.</summary>
    Timeout,

    /// <summary><c>canceled</c>: the server canceled the query.</summary>
    Canceled,

    /// <summary><c>internal</c> (HTTP 500).</summary>
    Internal,

    /// <summary><c>unavailable</c> (HTTP 503), or a 503 without a JSON body.</summary>
    Unavailable,

    /// <summary><c>not_found</c> (HTTP 404), or a 404 without a JSON body (wrong base URL).</summary>
    NotFound,

    /// <summary>Any other <c>errorType</c>.</summary>
    Other,

    /// <summary>The body was not the API's JSON envelope (a proxy's HTML page, an empty body, ...).</summary>
    InvalidResponse,

    /// <summary>No HTTP response at all: connection refused, DNS, TLS, or the client's own timeout.</summary>
    Connection,
}
