using PerfTools.Shared.Http;

namespace PerfTools.Tests.Http;

/// <summary>The pacer is a pure function (STYLE habit 2), so a table of (elapsed, sent) pins it.</summary>
public sealed class ConstantPacerTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [TestCase(0, 0)]
    [TestCase(1, 100)]
    [TestCase(9, 900)]
    [TestCase(10, 1000)]
    [TestCase(25, 2500)]
    public void DueTime_TenPerSecond_EvenlySpaced(long index, int expectedMs)
    {
        var pacer = ConstantPacer.PerSecond(10, Minute);
        Assert.That(pacer.DueTime(index), Is.EqualTo(TimeSpan.FromMilliseconds(expectedMs)));
    }

    [TestCase(0, 0, 0)] // first request: at once
    [TestCase(30, 1, 70)] // early: wait for the due time
    [TestCase(100, 1, 0)] // exactly due
    [TestCase(450, 2, 0)] // behind: catch up at once, never skip
    [TestCase(50, 3, 250)]
    public void Pace_TenPerSecond_WaitsUntilDueOrSendsAtOnce(int elapsedMs, long sent, int waitMs)
    {
        var pacer = ConstantPacer.PerSecond(10, Minute);
        PaceDecision decision = pacer.Pace(TimeSpan.FromMilliseconds(elapsedMs), sent);
        Assert.That(decision, Is.EqualTo(new PaceDecision(TimeSpan.FromMilliseconds(waitMs), false)));
    }

    [Test]
    public void Pace_NextDueAtOrAfterDuration_Stops()
    {
        var pacer = ConstantPacer.PerSecond(10, TimeSpan.FromSeconds(5));
        Assert.Multiple(() =>
        {
            Assert.That(pacer.Pace(TimeSpan.FromSeconds(4.95), 49).Stop, Is.False, "due at 4.9 s");
            Assert.That(pacer.Pace(TimeSpan.FromSeconds(4.95), 50).Stop, Is.True, "due at 5.0 s = the end");
            Assert.That(pacer.Pace(TimeSpan.Zero, 50).Stop, Is.True, "stopping does not depend on the clock");
        });
    }

    [Test]
    public void Pace_FiveSecondsAtTenPerSecond_SchedulesExactlyFifty()
    {
        var pacer = ConstantPacer.PerSecond(10, TimeSpan.FromSeconds(5));
        long sent = 0;
        while (!pacer.Pace(pacer.DueTime(sent), sent).Stop)
        {
            sent++;
        }

        Assert.That(sent, Is.EqualTo(50));
    }

    [TestCase(3)] // 1 s / 3 is not a whole number of ticks: adding an interval would drift
    [TestCase(7)]
    [TestCase(9_999)]
    public void DueTime_MillionRequests_NoDrift(long rate)
    {
        var pacer = ConstantPacer.PerSecond(rate, TimeSpan.FromDays(365));
        long index = 1_000_000 * rate;
        Assert.Multiple(() =>
        {
            Assert.That(pacer.DueTime(index), Is.EqualTo(TimeSpan.FromSeconds(1_000_000)));
            Assert.That(pacer.DueTime(1_000_000), Is.EqualTo(TimeSpan.FromTicks(1_000_000 * TimeSpan.TicksPerSecond / rate)));
        });
    }

    [Test]
    public void DueTime_ConsecutiveRequests_SpacedWithinOneTick()
    {
        var pacer = ConstantPacer.PerSecond(3, TimeSpan.FromDays(1));
        long interval = TimeSpan.TicksPerSecond / 3;
        for (long i = 999_000; i < 1_000_000; i++)
        {
            long gap = (pacer.DueTime(i + 1) - pacer.DueTime(i)).Ticks;
            Assert.That(gap, Is.InRange(interval, interval + 1));
        }
    }

    [Test]
    public void Every_HalfSecond_RoundsAtHalfSeconds()
    {
        var pacer = ConstantPacer.Every(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2));
        Assert.Multiple(() =>
        {
            Assert.That(pacer.DueTime(3), Is.EqualTo(TimeSpan.FromMilliseconds(1500)));
            Assert.That(pacer.Pace(TimeSpan.Zero, 4).Stop, Is.True);
            Assert.That(pacer.RatePerSecond, Is.EqualTo(2));
        });
    }

    [Test]
    public void Constructor_ZeroRate_Throws()
    {
        Assert.That(() => ConstantPacer.PerSecond(0, Minute), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [TestCase(7, 3)]
    [TestCase(10, 4)]
    [TestCase(1000, 7)]
    public void ForShard_AllShardsTogether_TheWholeScheduleEachItemOnce(int rate, int n)
    {
        var whole = ConstantPacer.PerSecond(rate, TimeSpan.FromSeconds(3));
        var due = new List<(long Index, TimeSpan Due)>();
        for (int k = 1; k <= n; k++)
        {
            ConstantPacer shard = whole.ForShard(k, n, TimeSpan.Zero);
            long sent = 0;
            while (!shard.Pace(TimeSpan.MaxValue / 2, sent).Stop)
            {
                due.Add((shard.GlobalIndex(sent), shard.DueTime(sent)));
                sent++;
            }

            Assert.That(sent, Is.EqualTo(shard.ShardItems), $"shard {k}/{n}");
        }

        Assert.That(due.Select(d => d.Index).Order(), Is.EqualTo(Enumerable.Range(0, rate * 3).Select(i => (long)i)));
        Assert.That(due.All(d => d.Due == whole.DueTime(d.Index)), "each item at the whole schedule's due time");
        Assert.That(whole.ScheduleItems, Is.EqualTo(rate * 3));
    }

    [Test]
    public void ForShard_Offset_ItemsDueBeforeThePacerStartAreDueAtOnce()
    {
        // Shard 2/2 of 10/s: items 1, 3, 5 … of the schedule; the pacer started 250 ms after the schedule's zero.
        ConstantPacer shard = ConstantPacer.PerSecond(10, Minute).ForShard(2, 2, TimeSpan.FromMilliseconds(250));
        Assert.That(shard.DueTime(0), Is.EqualTo(TimeSpan.FromMilliseconds(-150)));
        Assert.That(shard.Pace(TimeSpan.Zero, 0), Is.EqualTo(new PaceDecision(TimeSpan.Zero, Stop: false)));
        Assert.That(shard.Pace(TimeSpan.Zero, 1), Is.EqualTo(new PaceDecision(TimeSpan.FromMilliseconds(50), Stop: false)));
        Assert.That(shard.ShardItems, Is.EqualTo(300));
    }
}
