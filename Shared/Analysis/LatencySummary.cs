namespace PerfTools.Shared.Analysis;

/// <summary>The percentiles a simulation report gives for one latency series, µs (nearest rank, as
/// <see cref="LatencyRecorder"/> defines them); all 0 when nothing was measured.</summary>
/// <remarks><see cref="P95Micros"/> and <see cref="MeanMicros"/> came later: null only when read from a file written
/// before them.</remarks>
public sealed record LatencySummary(long P50Micros, long P90Micros, long P99Micros, long MaxMicros)
{
    public static LatencySummary Empty { get; } = new(0, 0, 0, 0) { P95Micros = 0, MeanMicros = 0 };

    public long? P95Micros { get; init; }

    /// <summary>The exact mean, rounded to whole µs.</summary>
    public long? MeanMicros { get; init; }

    public static LatencySummary From(LatencyRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        return new(
            recorder.ValueAtPercentileMicros(50),
            recorder.ValueAtPercentileMicros(90),
            recorder.ValueAtPercentileMicros(99),
            recorder.MaxMicros)
        {
            P95Micros = recorder.ValueAtPercentileMicros(95),
            MeanMicros = (long)Math.Round(recorder.MeanMicros, MidpointRounding.AwayFromZero),
        };
    }
}
