namespace PerfTools.Shared.Tracing;

/// <summary>The outcome of <see cref="JaegerClient.SearchTracesAsync"/>: the traces found, or why there are none.</summary>
/// <param name="Status">Found (at least one trace), NotFound (Jaeger answered: no trace matched), Unreachable or BadResponse.</param>
/// <param name="Traces">The matching traces, as Jaeger returned them; empty unless <paramref name="Status"/> is Found.</param>
/// <param name="Api">"v3" or "v1": the API that gave the answer; null when none did.</param>
/// <param name="Message">One console line saying what happened.</param>
public sealed record TraceSearchResult(TraceFetchStatus Status, IReadOnlyList<Trace> Traces, string? Api, string Message);
