namespace PerfTools.Shared.Http;

/// <summary>An exact schedule of <c>count</c> sends per <c>period</c> for a fixed duration, as a pure function (STYLE
/// habit 2; vegeta's <c>ConstantPacer</c>): it holds no clock and never sleeps.</summary>
/// <remarks>
/// Request i is due at <c>i · period / count</c>, computed in 128-bit integer ticks from i itself rather than by adding
/// an interval to the previous due time, so a million requests in the schedule has not drifted by a single tick.
/// Sends are evenly spaced, never bunched per second.
/// A shard (<see cref="ForShard"/>, <c>--shard K/N</c>) sends only the items i ≡ K−1 (mod N) of the same schedule, so
/// N processes at one rate send it together, interleaved; its own index j is the schedule's item j·N + K−1. An offset
/// moves the schedule's time zero before the pacer's start (a run that began after <c>--start-at</c>): items due
/// before the start are due at once and charged the lag.
/// </remarks>
public sealed class ConstantPacer
{
    private readonly long _count;
    private readonly long _periodTicks;
    private readonly int _shardIndex = 1; // K
    private readonly int _shardCount = 1; // N
    private readonly long _offsetTicks;

    /// <param name="count">Sends per <paramref name="period"/>, ≥ 1.</param>
    /// <param name="period">The span <paramref name="count"/> sends are spread over, &gt; 0.</param>
    /// <param name="duration">No send is due at or after this, &gt; 0.</param>
    public ConstantPacer(long count, TimeSpan period, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        _count = count;
        _periodTicks = period.Ticks;
        Duration = duration;
    }

    private ConstantPacer(ConstantPacer whole, int shardIndex, int shardCount, TimeSpan offset)
        : this(whole._count, TimeSpan.FromTicks(whole._periodTicks), whole.Duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardIndex, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shardIndex, shardCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(offset, TimeSpan.Zero);
        _shardIndex = shardIndex;
        _shardCount = shardCount;
        _offsetTicks = offset.Ticks;
    }

    public TimeSpan Duration { get; }

    /// <summary>Items of the whole schedule (every shard's) due before <see cref="Duration"/>.</summary>
    public long ScheduleItems
    {
        get
        {
            // floor(i·P/c) ≥ D ⇔ i·P ≥ D·c: the first item at or past the end is ⌈D·c/P⌉.
            Int128 product = (Int128)Duration.Ticks * _count;
            Int128 items = (product + _periodTicks - 1) / _periodTicks;
            return items > long.MaxValue ? long.MaxValue : (long)items;
        }
    }

    /// <summary>Items this shard has due before <see cref="Duration"/>.</summary>
    public long ShardItems => ScheduleItems <= _shardIndex - 1 ? 0 : ((ScheduleItems - _shardIndex) / _shardCount) + 1;

    /// <summary>Shard <paramref name="index"/> of <paramref name="count"/> (1-based) of this schedule, its time zero
    /// <paramref name="offset"/> before the pacer starts.</summary>
    public ConstantPacer ForShard(int index, int count, TimeSpan offset) => new(this, index, count, offset);

    /// <summary>The schedule's index of this shard's item <paramref name="local"/>.</summary>
    public long GlobalIndex(long local) => (local * _shardCount) + _shardIndex - 1;

    /// <summary>Sends per second, for reports.</summary>
    public double RatePerSecond => _count * (double)TimeSpan.TicksPerSecond / _periodTicks;

    /// <summary><paramref name="ratePerSecond"/> requests each second.</summary>
    public static ConstantPacer PerSecond(long ratePerSecond, TimeSpan duration) =>
        new(ratePerSecond, TimeSpan.FromSeconds(1), duration);

    /// <summary>One send (a round) every <paramref name="interval"/>.</summary>
    public static ConstantPacer Every(TimeSpan interval, TimeSpan duration) => new(1, interval, duration);

    /// <summary>When this shard's send <paramref name="index"/> (0-based) is due, from the start of the pacer: negative
    /// when it was due before (an offset).</summary>
    public TimeSpan DueTime(long index) => ScheduleDueTime(index) - TimeSpan.FromTicks(_offsetTicks);

    /// <summary>When this shard's send <paramref name="index"/> is due, from the schedule's time zero.</summary>
    private TimeSpan ScheduleDueTime(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        index = GlobalIndex(index);
        // Int128: index · period overflows a long once index passes ~9e11 at a 1 s period; taken wide and divided
        // once (floor), the schedule has no rounding error that could accumulate.
        Int128 ticks = (Int128)index * _periodTicks / _count;
        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Whether to wait before send number <paramref name="sent"/> (the count sent so far), or stop.</summary>
    /// <param name="elapsed">Time since the start of the run on a monotonic clock.</param>
    /// <param name="sent">Sends made so far; the next one has this index.</param>
    public PaceDecision Pace(TimeSpan elapsed, long sent)
    {
        if (ScheduleDueTime(sent) >= Duration)
        {
            return new PaceDecision(TimeSpan.Zero, Stop: true);
        }

        TimeSpan due = DueTime(sent);
        return new PaceDecision(due > elapsed ? due - elapsed : TimeSpan.Zero, Stop: false);
    }
}
