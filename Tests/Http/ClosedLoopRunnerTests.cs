using System.Collections.Concurrent;
using System.Diagnostics;
using PerfTools.Shared.Http;

namespace PerfTools.Tests.Http;

/// <summary>The closed model's event loops over many requests: connections kept and reused, reopened when the server
/// closes them, a request resent when it meets a connection the server closed while idle, the duration and the
/// caller's cancellation as <see cref="LoadRunner"/> keeps them. (One request at a time they run the whole client
/// test set and fault matrix: <see cref="HttpLoadClientTests"/>, <see cref="Hardening.LoadClientFaultTests"/>.)</summary>
public class ClosedLoopRunnerTests
{
    [SetUp]
    public void RequireEventLoops()
    {
        if (!ClosedLoopRunner.Available)
        {
            Assert.Ignore("the event loops run on Linux x86-64 only");
        }
    }

    private static HttpLoadClient NewClient(double timeoutSeconds = 5) =>
        new(new HttpLoadClientOptions(timeoutSeconds), TimeProvider.System);

    private static RequestSpec Get(LoopbackServer server, string path = "/x") =>
        new("GET /x", "GET", new Uri(server.BaseUrl, path));

    private static async Task<(LoadRunOutcome Outcome, List<RequestResult> Results, long Sends)> RunAsync(
        HttpLoadClient client, RequestSpec spec, int connections, TimeSpan duration, CancellationToken ct = default,
        long maxRequests = long.MaxValue)
    {
        ClosedLoopRunner loops = client.TryClosedLoop(spec, connections) ?? throw new AssertionException("the event loops refused a plain http GET");
        var results = new ConcurrentQueue<RequestResult>();
        long sends = 0;
        LoadRunOutcome outcome = await loops.RunAsync(duration, () => Interlocked.Increment(ref sends), results.Enqueue, ct, maxRequests: maxRequests);
        return (outcome, results.ToList(), Interlocked.Read(ref sends));
    }

    [Test]
    public async Task RunAsync_FourConnections_EveryRequestAnsweredOnThoseFourWithItsOwnTrace()
    {
        await using var server = LoopbackServer.Start(200, "hello");
        using HttpLoadClient client = NewClient();

        var (outcome, results, sends) = await RunAsync(client, Get(server), connections: 4, TimeSpan.FromMinutes(1), maxRequests: 400);

        Assert.Multiple(() =>
        {
            Assert.That((outcome.Started, sends, (long)results.Count), Is.EqualTo((400L, 400L, 400L)));
            Assert.That(results.Select(r => (r.Error, r.StatusCode, r.Bytes)), Has.All.EqualTo((ErrorKind.None, 200, 5L)));
            Assert.That(server.AcceptedConnections, Is.InRange(1, 4), "kept alive and reused");
            Assert.That(results.Select(r => r.TraceId).Distinct().Count(), Is.EqualTo(400));
            Assert.That(server.Requests.Select(r => r.Headers["traceparent"]).Distinct().Count(), Is.EqualTo(400));
            Assert.That(results, Has.All.Matches<RequestResult>(r => r.TtfbMicros >= 0 && r.TotalMicros >= r.TtfbMicros));
            Assert.That(server.Faults, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_ServerClosesEveryThirdAnswerAndSomeIdleConnections_ReconnectsWithoutAnError()
    {
        int answered = 0;
        await using var server = LoopbackServer.Start(async ctx =>
        {
            int n = Interlocked.Increment(ref answered);
            if (n % 3 == 0)
            {
                await ctx.RespondAsync(200, "ok", ("Connection", "close"));
                ctx.Close();
            }
            else if (n % 7 == 0)
            {
                await ctx.RespondAsync(200, "ok");
                ctx.Close(); // kept alive by its head, closed anyway: the next request meets a closed connection
            }
            else
            {
                await ctx.RespondAsync(200, "ok");
            }
        });
        using HttpLoadClient client = NewClient();

        var (outcome, results, _) = await RunAsync(client, Get(server), connections: 3, TimeSpan.FromMinutes(1), maxRequests: 300);

        Assert.Multiple(() =>
        {
            Assert.That(results, Has.Count.EqualTo(300));
            Assert.That(results.Select(r => r.Error), Has.All.EqualTo(ErrorKind.None), string.Join("; ", results.Select(r => r.ErrorMessage).Distinct()));
            Assert.That(server.AcceptedConnections, Is.GreaterThanOrEqualTo(100), "a new connection after every close");
            Assert.That(outcome.Started, Is.EqualTo(300));
        });
    }

    [Test]
    public async Task RunAsync_Duration_StopsStartingThenLetsInFlightFinish()
    {
        await using var server = LoopbackServer.Start(async ctx =>
        {
            await Task.Delay(20, ctx.Aborted);
            await ctx.RespondAsync(200, "ok");
        });
        using HttpLoadClient client = NewClient();
        var clock = Stopwatch.StartNew();

        var (outcome, results, sends) = await RunAsync(client, Get(server), connections: 5, TimeSpan.FromMilliseconds(600));

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Canceled, Is.False);
            Assert.That(outcome.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(600)));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
            // 5 connections, about 20 ms a request: some 150 in 0.6 s; every one started is answered.
            Assert.That(outcome.Started, Is.InRange(30, 200));
            Assert.That((long)results.Count, Is.EqualTo(outcome.Started).And.EqualTo(sends));
            Assert.That(results.Select(r => r.Error), Has.All.EqualTo(ErrorKind.None));
        });
    }

    [Test]
    [Category("Slow")]
    public async Task RunAsync_CallerCancels_InFlightGetTheDrainThenEndCanceled()
    {
        await using var server = LoopbackServer.Start(ctx => ctx.NeverAnswerAsync());
        using HttpLoadClient client = NewClient(timeoutSeconds: 30);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        var (outcome, results, _) = await RunAsync(client, Get(server), connections: 3, TimeSpan.FromMinutes(1), cts.Token);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Canceled, Is.True);
            Assert.That(outcome.Started, Is.EqualTo(3));
            Assert.That(results.Select(r => r.Error), Is.EqualTo(new[] { ErrorKind.Canceled, ErrorKind.Canceled, ErrorKind.Canceled }));
            Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(LoadRunner.DrainTimeout).And.LessThan(TimeSpan.FromSeconds(5)));
        });
    }

    [Test]
    public async Task RunAsync_Timeout_EachEndsAtTheLimitAndTheNextStarts()
    {
        await using var server = LoopbackServer.Start(ctx => ctx.NeverAnswerAsync());
        using HttpLoadClient client = NewClient(timeoutSeconds: 0.3);

        var (outcome, results, _) = await RunAsync(client, Get(server), connections: 2, TimeSpan.FromMilliseconds(700));

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Started, Is.InRange(4, 8), "two connections, a new request every 0.3 s on each");
            Assert.That(results.Select(r => r.Error), Has.All.EqualTo(ErrorKind.Timeout));
            Assert.That(results.Select(r => r.TotalMicros), Has.All.InRange(300_000, 600_000));
            Assert.That(results[0].ErrorMessage, Is.EqualTo("No complete response within 0.3 s."));
        });
    }

    [Test]
    public async Task RunAsync_SinkThrows_AggregateExceptionAndTheRunEnds()
    {
        await using var server = LoopbackServer.Start(200, "ok");
        using HttpLoadClient client = NewClient();
        ClosedLoopRunner loops = client.TryClosedLoop(Get(server), 2)!;

        Assert.That(
            async () => await loops.RunAsync(TimeSpan.FromSeconds(30), () => { }, _ => throw new InvalidOperationException("a bug"), CancellationToken.None),
            Throws.InstanceOf<AggregateException>().With.InnerException.Message.EqualTo("a bug"));
    }

    [Test]
    public void TryClosedLoop_HttpsTestClockOrHttpClient_NullSoTheRunnerCarriesIt()
    {
        using HttpLoadClient client = NewClient();
        using HttpLoadClient fakeClock = new(new HttpLoadClientOptions(5), new FixedTimeProvider());
        using HttpLoadClient httpClient = new(new HttpLoadClientOptions(5) { Engine = LoadEngine.HttpClient }, TimeProvider.System);
        var http = new RequestSpec("GET /", "GET", new Uri("http://127.0.0.1:1/"));

        Assert.Multiple(() =>
        {
            Assert.That(client.TryClosedLoop(http, 1), Is.Not.Null);
            Assert.That(client.TryClosedLoop(http with { Url = new Uri("https://127.0.0.1:1/") }, 1), Is.Null);
            Assert.That(fakeClock.TryClosedLoop(http, 1), Is.Null);
            Assert.That(httpClient.TryClosedLoop(http, 1), Is.Null);
        });
    }

    private sealed class FixedTimeProvider : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch;
    }
}
