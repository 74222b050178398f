namespace PerfTools.Shared.Analysis;

/// <summary>The percentiles a simulation report gives for one latency series, µs (nearest rank, as
/// <see cref="LatencyRecorder"/> defines them); all 0 when nothing was measured.</summary>
public sealed record LatencySummary(long P50Micros, long P90Micros, long P99Micros, long MaxMicros)
{
    public static LatencySummary Empty { get; } = new(0, 0, 0, 0);

    public static LatencySummary From(LatencyRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        return new(
            recorder.ValueAtPercentileMicros(50),
            recorder.ValueAtPercentileMicros(90),
            recorder.ValueAtPercentileMicros(99),
            recorder.MaxMicros);
    }
}
