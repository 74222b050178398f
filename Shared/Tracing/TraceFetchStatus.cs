namespace PerfTools.Shared.Tracing;

/// <summary>How a trace lookup ended, so a caller can say what went wrong without catching exceptions.</summary>
public enum TraceFetchStatus
{
    /// <summary>Jaeger returned the trace.</summary>
    Found,

    /// <summary>Jaeger answered and has no such trace (not sampled, not flushed yet, or expired).</summary>
    NotFound,

    /// <summary>No answer: connection refused, host not found, or timed out.</summary>
    Unreachable,

    /// <summary>An answer that is not a trace: 5xx, non-JSON, or JSON of the wrong shape.</summary>
    BadResponse,
}
