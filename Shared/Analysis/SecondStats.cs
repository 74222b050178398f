namespace PerfTools.Shared.Analysis;

/// <summary>One second of a simulation: the requests due in it (by schedule, so a stall does not shift them) and
/// their latencies, µs; percentiles are 0 for a second without responses.</summary>
/// <param name="Second">0-based second since the run started.</param>
/// <param name="P50Micros">Corrected (from the due time) median.</param>
/// <param name="P99Micros">Corrected 99th percentile.</param>
/// <param name="P99UncorrectedMicros">Raw (from the actual send) 99th percentile.</param>
public sealed record SecondStats(
    int Second, long Sent, long Ok, long Errors, long P50Micros, long P99Micros, long P99UncorrectedMicros);
