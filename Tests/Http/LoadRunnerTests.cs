using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Http;
using PerfTools.Tests.Fakes;

namespace PerfTools.Tests.Http;

/// <summary>The scheduler on a fake clock with a fake sender, and once over a real socket against a stalling server.</summary>
public sealed class LoadRunnerTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private static readonly RequestSpec Spec = new("GET /x", "GET", new Uri("http://127.0.0.1:1/x"));

    [Test]
    public async Task RunRequestsAsync_FastServer_SendsOnScheduleWithoutLag()
    {
        var time = new FakeTimeProvider();
        var sender = new RecordingSender(time, _ => TimeSpan.FromMilliseconds(10));
        var results = new ConcurrentQueue<RequestResult>();
        var runner = new LoadRunner(time);

        LoadRunOutcome outcome = await FakeClock.DriveAsync(time, runner.RunRequestsAsync(
            LoadPlan.ForRate(20, TimeSpan.FromSeconds(1), 100), sender, _ => Spec, results.Enqueue, CancellationToken.None), Step, Limit);

        var sends = sender.Sends;
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Started, Is.EqualTo(20));
            Assert.That(outcome.Canceled, Is.False);
            Assert.That(outcome.Late, Is.Zero);
            Assert.That(results, Has.Count.EqualTo(20));
            Assert.That(sends.Select(s => s.At.TotalMilliseconds), Is.EqualTo(Enumerable.Range(0, 20).Select(i => i * 50.0)).Within(5),
                "every 50 ms, never a burst");
            Assert.That(outcome.Elapsed, Is.EqualTo(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public async Task RunAsync_ScheduleStartedCallback_ToldTheInstantItemZeroIsDue()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        time.Advance(TimeSpan.FromMilliseconds(9)); // setup before the run, as JIT and scenario setup take in real life
        var runner = new LoadRunner(time);
        DateTimeOffset? started = null;

        await FakeClock.DriveAsync(time, runner.RunAsync(
            LoadPlan.ForRate(10, TimeSpan.FromSeconds(1), 10), (_, _, _) => Task.CompletedTask, CancellationToken.None,
            at => started = at), Step, Limit);

        Assert.That(started, Is.EqualTo(new DateTimeOffset(2026, 11, 25, 12, 0, 0, 9, TimeSpan.Zero)));
    }

    [Test]
    public async Task RunRequestsAsync_StallWithOneSlot_SendsLateAndChargesTheWait()
    {
        // Request 0 takes 500 ms and holds the only slot: requests 1..4 (due at 100..400 ms) must wait for it.
        var time = new FakeTimeProvider();
        var sender = new RecordingSender(time, i => TimeSpan.FromMilliseconds(i == 0 ? 500 : 1));
        var results = new ConcurrentQueue<RequestResult>();
        var runner = new LoadRunner(time);

        LoadRunOutcome outcome = await FakeClock.DriveAsync(time, runner.RunRequestsAsync(
            LoadPlan.ForRate(10, TimeSpan.FromSeconds(1), 1), sender, _ => Spec, results.Enqueue, CancellationToken.None), Step, Limit);

        var lagsMs = sender.Sends.Select(s => s.LagMicros / 1000.0).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Started, Is.EqualTo(10), "a stall must not reduce what is sent (coordinated omission)");
            Assert.That(lagsMs[1], Is.EqualTo(400).Within(10), "due at 100 ms, sent when the slot freed at 500 ms");
            Assert.That(outcome.Late, Is.GreaterThanOrEqualTo(1));
            Assert.That(outcome.MaxLagMicros / 1000.0, Is.EqualTo(400).Within(10));
            Assert.That(sender.MaxInFlight, Is.EqualTo(1));
            Assert.That(results.MaxBy(r => r.LagMicros)!.CorrectedMicros, Is.GreaterThan(400_000), "corrected = lag + time on the wire");
            Assert.That(outcome.LateOwn, Is.Zero, "every late send waited for the slot the target held: none is the generator's");
            Assert.That(outcome.MaxOwnLagMicros, Is.Zero);
        });
    }

    [Test]
    public async Task RunAsync_GeneratorStallsWithFreeSlots_LateSendsAreItsOwn()
    {
        // Item 3 (due at 300 ms) keeps the loop's thread for 250 ms before it lets go, as a CPU-starved generator does:
        // items 4 and 5 (due at 400 and 500 ms) start late with slots free, so the lag is the generator's own.
        var time = new FakeTimeProvider();
        var runner = new LoadRunner(time);

        LoadRunOutcome outcome = await FakeClock.DriveAsync(time, runner.RunAsync(
            LoadPlan.ForRate(10, TimeSpan.FromSeconds(1), 100),
            (i, _, _) =>
            {
                if (i == 3)
                {
                    time.Advance(TimeSpan.FromMilliseconds(250));
                }

                return Task.CompletedTask;
            },
            CancellationToken.None), Step, Limit);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Started, Is.EqualTo(10));
            Assert.That(outcome.Late, Is.EqualTo(2), "items 4 and 5");
            Assert.That(outcome.LateOwn, Is.EqualTo(2));
            Assert.That(outcome.MaxOwnLagMicros / 1000.0, Is.EqualTo(150).Within(5), "item 4: due at 400 ms, started at 550 ms");
        });
    }

    [Test]
    public async Task RunRequestsAsync_ZeroRate_ClosedModelKeepsMaxInFlightBusy()
    {
        var time = new FakeTimeProvider();
        var sender = new RecordingSender(time, _ => TimeSpan.FromMilliseconds(100));
        var runner = new LoadRunner(time);

        LoadRunOutcome outcome = await FakeClock.DriveAsync(time, runner.RunRequestsAsync(
            LoadPlan.ForRate(0, TimeSpan.FromSeconds(1), 3), sender, _ => Spec, _ => { }, CancellationToken.None), Step, Limit);

        Assert.Multiple(() =>
        {
            Assert.That(sender.MaxInFlight, Is.EqualTo(3));
            Assert.That(outcome.Started, Is.InRange(27, 33), "3 workers × 10 back-to-back 100 ms requests");
            Assert.That(outcome.Late, Is.Zero, "no schedule, so nothing is late");
        });
    }

    [Test]
    public async Task RunRequestsAsync_CanceledWhileRequestHangs_StopsSendingAndCancelsItAfterTheDrain()
    {
        var time = new FakeTimeProvider();
        var sender = new RecordingSender(time, _ => TimeSpan.FromHours(1));
        var results = new ConcurrentQueue<RequestResult>();
        var runner = new LoadRunner(time);
        using var stop = new CancellationTokenSource();

        Task<LoadRunOutcome> run = runner.RunRequestsAsync(
            LoadPlan.ForRate(10, TimeSpan.FromSeconds(60), 1000), sender, _ => Spec, results.Enqueue, stop.Token);
        await FakeClock.DriveAsync(time, Task.Run(async () =>
        {
            while (sender.Sends.Count < 5)
            {
                await Task.Delay(1);
            }

            return 0;
        }), Step, Limit);
        await stop.CancelAsync();
        LoadRunOutcome outcome = await FakeClock.DriveAsync(time, run, Step, Limit);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Canceled, Is.True);
            Assert.That(outcome.Started, Is.EqualTo(sender.Sends.Count));
            Assert.That(outcome.Started, Is.InRange(5, 6));
            Assert.That(results.Select(r => r.Error), Has.All.EqualTo(ErrorKind.Canceled), "hung requests are cancelled after the drain");
            Assert.That(outcome.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public void RunAsync_WorkThrows_Rethrown()
    {
        var runner = new LoadRunner(TimeProvider.System);
        Assert.That(
            () => runner.RunAsync(LoadPlan.ForRate(100, TimeSpan.FromMilliseconds(20), 10),
                (_, _, _) => throw new InvalidOperationException("bug"), CancellationToken.None),
            Throws.InstanceOf<AggregateException>());
    }

    [Test]
    [Category("Slow")]
    public async Task RunRequestsAsync_LoopbackServerStalls_CorrectedChargesStallRawDoesNot()
    {
        // The first request stalls 600 ms on a real socket; with one slot the requests due meanwhile wait for it.
        int seen = 0;
        await using var server = LoopbackServer.Start(async ctx =>
        {
            if (Interlocked.Increment(ref seen) == 1)
            {
                await Task.Delay(600, ctx.Aborted);
            }

            await ctx.RespondAsync(200, "ok");
        });
        using var client = new HttpLoadClient(new HttpLoadClientOptions(TimeoutSeconds: 5, MaxConnections: 1), TimeProvider.System);
        var started = TimeProvider.System.GetUtcNow();
        var recorder = new SimulationRecorder("load", server.BaseUrl.ToString(), started, 20, 1);
        var spec = new RequestSpec("GET /x", "GET", new Uri(server.BaseUrl, "/x"));

        LoadRunOutcome outcome = await new LoadRunner(TimeProvider.System).RunRequestsAsync(
            LoadPlan.ForRate(20, TimeSpan.FromSeconds(1), 1), client, _ => spec, recorder.Add, CancellationToken.None);
        SimulationStats stats = recorder.Complete(outcome.Elapsed.TotalSeconds);

        Assert.Multiple(() =>
        {
            Assert.That(stats.Requests, Is.EqualTo(20), "every scheduled request was sent");
            Assert.That(stats.Latency.P90Micros, Is.GreaterThan(300_000), "corrected: the requests due during the stall waited");
            Assert.That(stats.LatencyUncorrected.P90Micros, Is.LessThan(100_000), "raw: once sent, they were fast");
            Assert.That(stats.Latency.MaxMicros, Is.GreaterThanOrEqualTo(550_000));
            Assert.That(stats.Late, Is.GreaterThanOrEqualTo(5));
            Assert.That(stats.MaxLagMicros, Is.GreaterThan(400_000));
        });
    }
}
