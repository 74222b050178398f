namespace PerfTools.Shared.Tracing;

/// <summary>The outcome of <see cref="JaegerClient.GetTraceAsync"/>.</summary>
/// <param name="Trace">Set when <paramref name="Status"/> is Found.</param>
/// <param name="Api">"v3" or "v1": the API that gave the answer; null when none did.</param>
/// <param name="Message">One console line saying what happened.</param>
public sealed record TraceFetchResult(TraceFetchStatus Status, Trace? Trace, string? Api, string Message);
