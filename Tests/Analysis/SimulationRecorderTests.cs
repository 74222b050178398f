using PerfTools.Shared.Analysis;
using PerfTools.Shared.Http;

namespace PerfTools.Tests.Analysis;

public sealed class SimulationRecorderTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    internal static RequestResult Result(
        double dueSeconds, long lagMicros, long totalMicros, int status = 200, ErrorKind error = ErrorKind.None) =>
        new("GET /x", "GET", "http://127.0.0.1/x", status,
            Start + TimeSpan.FromSeconds(dueSeconds) + TimeSpan.FromMicroseconds(lagMicros),
            lagMicros, totalMicros / 2, totalMicros, 10, null, null, error, error == ErrorKind.None ? null : "failed");

    [Test]
    public void Complete_MixedResults_CountsCodesKindsAndLateness()
    {
        var recorder = new SimulationRecorder("load", "http://127.0.0.1/", Start, 10, 100);
        recorder.Add(Result(0.0, 0, 1_000));
        recorder.Add(Result(0.1, 999, 2_000)); // below the 1 ms threshold: timer jitter, not late
        recorder.Add(Result(0.2, 1_000, 3_000)); // at the threshold: late
        recorder.Add(Result(0.3, 250_000, 4_000, 503, ErrorKind.Http5xx));
        recorder.Add(Result(0.4, 0, 5_000_000, 0, ErrorKind.Timeout));

        SimulationStats stats = recorder.Complete(2);

        Assert.Multiple(() =>
        {
            Assert.That(stats.Requests, Is.EqualTo(5));
            Assert.That(stats.Ok, Is.EqualTo(3));
            Assert.That(stats.Errors, Is.EqualTo(2));
            Assert.That(stats.Late, Is.EqualTo(2));
            Assert.That(stats.MaxLagMicros, Is.EqualTo(250_000));
            Assert.That(stats.StatusCodes, Is.EqualTo(new Dictionary<int, long> { [200] = 3, [503] = 1 }));
            Assert.That(stats.ErrorsByKind, Is.EqualTo(new Dictionary<string, long> { ["Timeout"] = 1, ["Http5xx"] = 1 }));
            Assert.That(stats.Latency.MaxMicros, Is.EqualTo(254_000), "corrected: lag + total, responses only");
            Assert.That(stats.LatencyUncorrected.MaxMicros, Is.EqualTo(4_000), "raw: total, responses only");
            Assert.That(stats.AchievedRps, Is.EqualTo(2.5));
        });
    }

    [Test]
    public void Complete_LateRequests_BucketedBySecondTheyWereDue()
    {
        var recorder = new SimulationRecorder("load", "http://127.0.0.1/", Start, 2, 1);
        recorder.Add(Result(0.5, 1_600_000, 1_000)); // due in second 0, sent in second 2
        recorder.Add(Result(2.0, 0, 3_000));

        SimulationStats stats = recorder.Complete(4);

        Assert.That(stats.Seconds, Is.EqualTo(new SecondStats[]
        {
            new(0, 1, 1, 0, 1_601_000, 1_601_000, 1_000),
            new(1, 0, 0, 0, 0, 0, 0),
            new(2, 1, 1, 0, 3_000, 3_000, 3_000),
            new(3, 0, 0, 0, 0, 0, 0),
        }).Using<SecondStats>((a, b) => a == b));
    }

    [Test]
    public void MarkScheduleStart_LaterThanConstruction_LastMomentsStayInTheLastSecond()
    {
        // Regression: the recorder was created ~9 ms before the runner's schedule began, so requests due in the
        // last 9 ms of a 10 s run landed in an extra "second 10".
        var recorder = new SimulationRecorder("load", "http://127.0.0.1/", Start - TimeSpan.FromMilliseconds(9), 1, 1);
        recorder.MarkScheduleStart(Start);
        recorder.Add(Result(0.0, 0, 1_000));
        recorder.Add(Result(1.995, 0, 1_000));

        SimulationStats stats = recorder.Complete(2);

        Assert.That(stats.Seconds.Select(s => s.Sent), Is.EqualTo(new long[] { 1, 1 }));
        Assert.That(stats.StartedAt, Is.EqualTo(Start));
    }

    [Test]
    public void Add_SentEarly_CountedInTheSecondItWasDueAndNotLate()
    {
        // Regression: the pacer wakes up to 1 ms early; with the lag clamped to 0 a request due at 1.000 s but sent
        // at 0.9995 s was counted in second 0 (21 and 19 instead of 20 and 20 at 20 rps).
        var recorder = new SimulationRecorder("load", "http://127.0.0.1/", Start, 1, 1);
        recorder.Add(Result(1.0, -500, 1_000));

        SimulationStats stats = recorder.Complete(2);

        Assert.That(stats.Seconds.Select(s => s.Sent), Is.EqualTo(new long[] { 0, 1 }));
        Assert.That(stats.Late, Is.Zero);
        Assert.That(stats.Latency.MaxMicros, Is.EqualTo(1_000), "corrected latency never below the raw one");
    }

    [Test]
    public void Add_AfterComplete_Ignored()
    {
        var recorder = new SimulationRecorder("load", "http://127.0.0.1/", Start, 10, 1);
        recorder.Add(Result(0, 0, 1_000));
        SimulationStats first = recorder.Complete(1);
        recorder.Add(Result(0.1, 0, 1_000));

        Assert.That(recorder.Complete(1), Is.SameAs(first));
        Assert.That(first.Requests, Is.EqualTo(1));
    }

    [Test]
    public void Snapshot_WhileRunning_LeavesRecorderOpen()
    {
        var recorder = new SimulationRecorder("load", "http://127.0.0.1/", Start, 10, 1);
        recorder.Add(Result(0, 0, 1_000));
        Assert.That(recorder.Snapshot(0.5).Requests, Is.EqualTo(1));
        recorder.Add(Result(0.1, 0, 1_000));
        Assert.That(recorder.Complete(1).Requests, Is.EqualTo(2));
    }

    [Test]
    public void Complete_Responses_HistogramP95AndMeanOfCorrectedLatencies()
    {
        var recorder = new SimulationRecorder("slow", "http://127.0.0.1/", Start, 10, 100);
        for (int i = 1; i <= 20; i++)
        {
            recorder.Add(Result(i * 0.01, lagMicros: 100, totalMicros: i * 100)); // corrected = total + lag
        }

        recorder.Add(Result(0.5, 0, 5_000_000, 0, ErrorKind.Timeout)); // no response: not a latency

        SimulationStats stats = recorder.Complete(1);

        Assert.Multiple(() =>
        {
            // Corrected 200, 300, … 2100 µs: all below 2048 µs but 2100, so one bucket each.
            Assert.That(stats.LatencyHistogram, Has.Count.EqualTo(20));
            Assert.That(stats.LatencyHistogram.Sum(e => e.Count), Is.EqualTo(20));
            Assert.That(stats.LatencyHistogram[0], Is.EqualTo((200L, 1L)));
            Assert.That(stats.Latency.P95Micros, Is.EqualTo(2_000)); // rank ⌈0.95 · 20⌉ = 19
            Assert.That(stats.Latency.MeanMicros, Is.EqualTo(1_150)); // (200 + 2100) / 2
            Assert.That(stats.LatencyUncorrected.MeanMicros, Is.EqualTo(1_050));
            Assert.That(recorder.Snapshot(1).LatencyHistogram, Has.Count.EqualTo(20), "completed: the same figures");
        });
    }

    [Test]
    public void Complete_TwoRoutes_EachCountedAndTimedOnItsOwnInLabelOrder()
    {
        var recorder = new SimulationRecorder("missing_index", "http://127.0.0.1/", Start, 10, 100);
        recorder.Add(Result(0.0, 0, 90_000) with { Label = "GET /posts/{id}/comments" });
        recorder.Add(Result(0.1, 2_000, 300_000) with { Label = "GET /boards/{id}/posts" });
        recorder.Add(Result(0.2, 0, 100_000) with { Label = "GET /posts/{id}/comments" });
        recorder.Add(Result(0.3, 0, 400_000, 503, ErrorKind.Http5xx) with { Label = "GET /boards/{id}/posts" });

        SimulationStats stats = recorder.Complete(1);

        RouteStats posts = stats.Routes[0];
        RouteStats comments = stats.Routes[1];
        Assert.Multiple(() =>
        {
            Assert.That(stats.Routes.Select(r => r.Label), Is.EqualTo(new[] { "GET /boards/{id}/posts", "GET /posts/{id}/comments" }),
                "by label, not by which finished first");
            Assert.That(stats.Routes.Select(r => r.Headline), Is.All.True);
            Assert.That((posts.Requests, posts.Ok, posts.Errors, posts.Late), Is.EqualTo((2L, 1L, 1L, 1L)));
            Assert.That(posts.StatusCodes, Is.EqualTo(new Dictionary<int, long> { [200] = 1, [503] = 1 }));
            Assert.That(posts.ErrorsByKind, Is.EqualTo(new Dictionary<string, long> { ["Http5xx"] = 1 }));
            Assert.That(posts.Latency.P50Micros, Is.EqualTo(302_000), "corrected: lag + total");
            Assert.That(posts.LatencyUncorrected.MaxMicros, Is.EqualTo(400_000));
            Assert.That((comments.Requests, comments.Ok, comments.Errors), Is.EqualTo((2L, 2L, 0L)));
            Assert.That(comments.Latency.MaxMicros, Is.EqualTo(100_000));
            Assert.That(comments.ErrorsByKind, Is.Empty);
            Assert.That(stats.Requests, Is.EqualTo(4), "both routes are the scenario's figures");
            Assert.That(stats.Latency.MaxMicros, Is.EqualTo(400_000));
            Assert.That(stats.OkAllRoutes, Is.EqualTo(stats.Ok));
            Assert.That(stats.HasRouteBreakdown, Is.True);
        });
    }

    [Test]
    public void Complete_RouteBeside_OnlyInRoutesNotInTheFiguresSeriesOrHistogram()
    {
        // connection_pool: the pool holders' 503s and long waits must not dilute the fast route's figures.
        var recorder = new SimulationRecorder("connection_pool", "http://127.0.0.1/", Start, 10, 100, besideLabels: ["GET /slow"]);
        recorder.NoteSent("GET /boards/{id}");
        recorder.NoteSent("GET /slow");
        recorder.NoteSent("GET /slow");
        recorder.Add(Result(0.0, 0, 600_000) with { Label = "GET /boards/{id}" });
        recorder.Add(Result(0.0, 0, 1_500_000) with { Label = "GET /slow" });
        recorder.Add(Result(1.2, 0, 1_000_000, 503, ErrorKind.Http5xx) with { Label = "GET /slow" });

        SimulationStats stats = recorder.Complete(2);

        Assert.Multiple(() =>
        {
            Assert.That(recorder.Sent, Is.EqualTo(1), "the live line's sent count matches its figures");
            Assert.That((stats.Requests, stats.Ok, stats.Errors), Is.EqualTo((1L, 1L, 0L)));
            Assert.That(stats.StatusCodes, Is.EqualTo(new Dictionary<int, long> { [200] = 1 }));
            Assert.That(stats.ErrorsByKind, Is.Empty);
            Assert.That(stats.Latency.MaxMicros, Is.EqualTo(600_000));
            Assert.That(stats.LatencyHistogram.Sum(e => e.Count), Is.EqualTo(1), "the comparison tests the fast route only");
            Assert.That(stats.Seconds.Select(s => s.Sent), Is.EqualTo(new long[] { 1, 0 }));
            Assert.That(stats.Routes.Select(r => (r.Label, r.Headline)), Is.EqualTo(new[] { ("GET /boards/{id}", true), ("GET /slow", false) }));
            Assert.That(stats.Routes[1].StatusCodes, Is.EqualTo(new Dictionary<int, long> { [200] = 1, [503] = 1 }));
            Assert.That(stats.Routes[1].ErrorsByKind, Is.EqualTo(new Dictionary<string, long> { ["Http5xx"] = 1 }));
            Assert.That(stats.Routes[1].Latency.MaxMicros, Is.EqualTo(1_500_000));
            Assert.That(stats.OkAllRoutes, Is.EqualTo(2), "ok of every route, for the run's exit code");
        });
    }

    [Test]
    public void Snapshot_WhileRunning_NoRoutes()
    {
        var recorder = new SimulationRecorder("slow", "http://127.0.0.1/", Start, 10, 100);
        recorder.Add(Result(0.1, 0, 1_000));

        Assert.Multiple(() =>
        {
            Assert.That(recorder.Snapshot(1).Routes, Is.Empty, "the live line does not need them");
            Assert.That(recorder.Complete(1).Routes.Single().Label, Is.EqualTo("GET /x"));
        });
    }

    [Test]
    public void Snapshot_WhileRunning_NoHistogram()
    {
        var recorder = new SimulationRecorder("slow", "http://127.0.0.1/", Start, 10, 100);
        recorder.Add(Result(0.1, 0, 1_000));

        Assert.That(recorder.Snapshot(1).LatencyHistogram, Is.Empty, "the live line does not need it");
    }
}
