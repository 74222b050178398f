namespace PerfTools.Shared.Http;

/// <summary>What a <see cref="LoadRunner"/> did, apart from the results its work delivered.</summary>
/// <param name="Started">Work items started (requests, or rounds of requests).</param>
/// <param name="Late">Items started at least <see cref="LoadRunner.LateThreshold"/> after their due time.</param>
/// <param name="MaxLagMicros">The largest delay of an item behind its due time, µs.</param>
/// <param name="Elapsed">How long items were started for: the plan's duration, longer when starts fell behind past
/// its end, shorter when cancelled (then up to the cancellation).</param>
/// <param name="Canceled">The run was stopped by its token before the schedule ended.</param>
public sealed record LoadRunOutcome(long Started, long Late, long MaxLagMicros, TimeSpan Elapsed, bool Canceled)
{
    /// <summary>Of <see cref="Late"/>, the items at least <see cref="LoadRunner.OwnLateThreshold"/> late through the
    /// generator's own delay (its loop woke or ran late: CPU, a pause), not because every in-flight slot was held by the
    /// target since the loop was last on time.</summary>
    public long LateOwn { get; init; }

    /// <summary>The largest lag through the generator's own delay, µs, of any item late at all; 0 when none.</summary>
    public long MaxOwnLagMicros { get; init; }
}
