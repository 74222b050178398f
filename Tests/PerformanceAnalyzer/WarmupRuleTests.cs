using PerfTools.PerformanceAnalyzer;

namespace PerfTools.Tests.PerformanceAnalyzer;

/// <summary>The auto warm-up rule as a table of latencies: when it settles, when it gives up, and what it never judges.</summary>
public class WarmupRuleTests
{
    // A time past the rule's minimum warm-up, for the cases that are about the medians.
    private static readonly TimeSpan Late = WarmupRule.MinDuration;

    [Test]
    public void Add_DriftingThenFlatMedians_SettlesAtTheThirdFlatBatch()
    {
        var rule = WarmupRule.For(null, "GET");
        double[] batchMedians = [50, 40, 30, 20, 10, 10, 10, 10];
        int settledAt = 0;
        foreach (double median in batchMedians)
        {
            for (int i = 0; i < WarmupRule.BatchSize && settledAt == 0; i++)
            {
                Assert.That(rule.WantsMore(TimeSpan.FromSeconds(1)), Is.True, $"request {rule.Sent + 1}");
                if (rule.Add(median, Late))
                {
                    settledAt = rule.Sent;
                }
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(settledAt, Is.EqualTo(70), "batches 5, 6 and 7 are the first three that agree");
            Assert.That(rule.WantsMore(TimeSpan.FromSeconds(1)), Is.False);
            Assert.That(rule.Outcome, Is.EqualTo(new Shared.Analysis.WarmupOutcome(70, true)));
        });
    }

    [Test]
    public void Add_MediansThatNeverAgree_StopsAtMaxRequestsUnsettled()
    {
        var rule = WarmupRule.For(null, "GET");
        while (rule.WantsMore(TimeSpan.FromSeconds(1)))
        {
            rule.Add((rule.Sent / WarmupRule.BatchSize) % 2 == 0 ? 10 : 20, Late);
        }

        Assert.That(rule.Outcome, Is.EqualTo(new Shared.Analysis.WarmupOutcome(WarmupRule.MaxRequests, false)));
    }

    [TestCase(9.999, true)]
    [TestCase(10, false)]
    [TestCase(60, false)]
    public void WantsMore_Elapsed_StopsAtTenSeconds(double seconds, bool expected)
    {
        var rule = WarmupRule.For(null, "GET");
        rule.Add(500, Late);

        Assert.Multiple(() =>
        {
            Assert.That(rule.WantsMore(TimeSpan.FromSeconds(seconds)), Is.EqualTo(expected));
            Assert.That(rule.Outcome.Settled, Is.False, "stopped by time, not settled");
        });
    }

    [TestCase(new[] { 0.20, 0.24, 0.22 }, true, TestName = "Agree_SubMsMediansWithinAbsoluteTolerance_Agree")]
    [TestCase(new[] { 0.20, 0.26, 0.22 }, false, TestName = "Agree_SubMsMediansBeyondAbsoluteTolerance_Disagree")]
    [TestCase(new[] { 100.0, 104.9, 102 }, true, TestName = "Agree_SpreadUnder5PercentOfTheMiddle_Agree")]
    [TestCase(new[] { 100.0, 106, 103 }, false, TestName = "Agree_SpreadOver5PercentOfTheMiddle_Disagree")]
    [TestCase(new[] { 20.0, 20, 20 }, true, TestName = "Agree_Flat_Agree")]
    public void Agree_Medians(double[] medians, bool expected)
    {
        Assert.That(WarmupRule.Agree(medians.Select(m => (double?)m).ToList()), Is.EqualTo(expected));
    }

    [Test]
    public void Add_SubMsBatchesWithin005Ms_SettleAt30()
    {
        var rule = WarmupRule.For(null, "GET");
        double[] batchMedians = [0.20, 0.24, 0.22];
        foreach (double median in batchMedians)
        {
            for (int i = 0; i < WarmupRule.BatchSize; i++)
            {
                rule.Add(median, Late);
            }
        }

        Assert.That(rule.Outcome, Is.EqualTo(new Shared.Analysis.WarmupOutcome(30, true)));
    }

    [Test]
    public void Add_AgreeingMediansBeforeTheMinimumDuration_SettleOnlyAtTheFirstBatchEndAfterIt()
    {
        var rule = WarmupRule.For(null, "GET");
        TimeSpan step = WarmupRule.MinDuration / 45; // 1 request per step: the minimum is reached at request 45
        bool settled = false;
        while (!settled && rule.WantsMore(step * rule.Sent))
        {
            settled = rule.Add(10, step * (rule.Sent + 1));
        }

        Assert.That(rule.Outcome, Is.EqualTo(new Shared.Analysis.WarmupOutcome(50, true)),
            "batches 1-3 agree at request 30, but only batch 5 ends after the minimum");
    }

    [Test]
    public void Add_OneSlowRequestPerBatch_MediansStillSettle()
    {
        var rule = WarmupRule.For(null, "GET");
        for (int i = 0; i < 3 * WarmupRule.BatchSize; i++)
        {
            rule.Add(i % WarmupRule.BatchSize == 3 ? 250 : 10 + (i % 2) * 0.1, Late);
        }

        Assert.That(rule.Outcome.Settled, Is.True);
    }

    [Test]
    public void Add_FailedRequests_CountTowardTheBoundAndABatchWithoutResponseNeverAgrees()
    {
        var rule = WarmupRule.For(null, "GET");
        for (int i = 0; i < 2 * WarmupRule.BatchSize; i++)
        {
            rule.Add(10, Late);
        }

        for (int i = 0; i < WarmupRule.BatchSize; i++)
        {
            rule.Add(null, Late); // no response: a refused or timed-out warm-up
        }

        Assert.Multiple(() =>
        {
            Assert.That(rule.Outcome, Is.EqualTo(new Shared.Analysis.WarmupOutcome(30, false)));
            Assert.That(rule.WantsMore(TimeSpan.Zero), Is.True);
        });

        while (rule.WantsMore(TimeSpan.Zero))
        {
            rule.Add(null, Late);
        }

        Assert.That(rule.Sent, Is.EqualTo(WarmupRule.MaxRequests));
    }

    [TestCase("POST")]
    [TestCase("PUT")]
    [TestCase("PATCH")]
    [TestCase("DELETE")]
    [TestCase("PURGE")]
    public void For_AutoAndAStateChangingMethod_AtMostFiveNotJudged(string method)
    {
        var rule = WarmupRule.For(null, method);
        while (rule.WantsMore(TimeSpan.Zero))
        {
            rule.Add(10, Late);
        }

        Assert.That(rule.Outcome, Is.EqualTo(new Shared.Analysis.WarmupOutcome(WarmupRule.MaxStateChangingRequests, null)));
    }

    [TestCase("GET")]
    [TestCase("head")]
    [TestCase("OPTIONS")]
    public void For_AutoAndASafeMethod_Judged(string method)
    {
        var rule = WarmupRule.For(null, method);
        for (int i = 0; i < 3 * WarmupRule.BatchSize; i++)
        {
            rule.Add(10, Late);
        }

        Assert.That(rule.Outcome, Is.EqualTo(new Shared.Analysis.WarmupOutcome(30, true)));
    }

    [TestCase(0, "GET")]
    [TestCase(3, "GET")]
    [TestCase(20, "POST")]
    [TestCase(400, "GET")]
    public void For_FixedCount_ExactlyThatManyWhateverTheLatencyNotJudged(int count, string method)
    {
        var rule = WarmupRule.For(count, method);
        while (rule.WantsMore(TimeSpan.FromMinutes(5)))
        {
            rule.Add(rule.Sent % 2 == 0 ? 1 : 100, Late);
        }

        Assert.That(rule.Outcome, Is.EqualTo(new Shared.Analysis.WarmupOutcome(count, null)));
    }
}
