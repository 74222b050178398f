namespace PerfTools.Shared.Http;

/// <summary>An exact schedule of <c>count</c> sends per <c>period</c> for a fixed duration, as a pure function (STYLE
/// habit 2; vegeta's <c>ConstantPacer</c>): it holds no clock and never sleeps.</summary>
/// <remarks>
/// Request i is due at <c>i · period / count</c>, computed in 128-bit integer ticks from i itself rather than by adding
/// an interval to the previous due time, so a million requests in the schedule has not drifted by a single tick.
/// Sends are evenly spaced, never bunched per second.
/// </remarks>
public sealed class ConstantPacer
{
    private readonly long _count;
    private readonly long _periodTicks;

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

    public TimeSpan Duration { get; }

    /// <summary>Sends per second, for reports.</summary>
    public double RatePerSecond => _count * (double)TimeSpan.TicksPerSecond / _periodTicks;

    /// <summary><paramref name="ratePerSecond"/> requests each second.</summary>
    public static ConstantPacer PerSecond(long ratePerSecond, TimeSpan duration) =>
        new(ratePerSecond, TimeSpan.FromSeconds(1), duration);

    /// <summary>One send (a round) every <paramref name="interval"/>.</summary>
    public static ConstantPacer Every(TimeSpan interval, TimeSpan duration) => new(1, interval, duration);

    /// <summary>When send <paramref name="index"/> (0-based) is due, from the start of the run.</summary>
    public TimeSpan DueTime(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
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
        TimeSpan due = DueTime(sent);
        if (due >= Duration)
        {
            return new PaceDecision(TimeSpan.Zero, Stop: true);
        }

        return new PaceDecision(due > elapsed ? due - elapsed : TimeSpan.Zero, Stop: false);
    }
}
