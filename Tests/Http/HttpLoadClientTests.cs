using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using PerfTools.Shared.Http;
using PerfTools.Shared.Tracing;

namespace PerfTools.Tests.Http;

/// <summary>Against a real socket (<see cref="LoopbackServer"/>); every request is bounded by a 2 s client timeout.
/// Each test runs over both engines: the toolkit's own HTTP/1.1 engine and HttpClient must give the same results.</summary>
[TestFixture(LoadEngine.Http1, false)]
[TestFixture(LoadEngine.HttpClient, false)]
[TestFixture(LoadEngine.Http1, true)]
public class HttpLoadClientTests(LoadEngine engine, bool eventLoop)
{
    private const double TimeoutSeconds = 2;
    private static readonly Regex TraceparentFormat = new("^00-([0-9a-f]{32})-[0-9a-f]{16}-01$");

    private HttpLoadClient NewClient(double timeoutSeconds = TimeoutSeconds, TimeProvider? time = null, int maxConnections = 1000) =>
        new(new HttpLoadClientOptions(TimeoutSeconds: timeoutSeconds, maxConnections) { Engine = engine }, time ?? TimeProvider.System);

    private Task<RequestResult> Send(HttpLoadClient client, RequestSpec spec, CancellationToken ct) =>
        EventLoopSend.SendAsync(client, spec, ct, eventLoop);

    private static RequestSpec Get(LoopbackServer server, string path = "/x") =>
        new("GET /x", "GET", new Uri(server.BaseUrl, path));

    [Test]
    public async Task SendAsync_SequentialRequests_ReuseOneConnection()
    {
        await using var server = LoopbackServer.Start(200, "hello");
        using HttpLoadClient client = NewClient();

        var results = new List<RequestResult>();
        for (int i = 0; i < 20; i++)
        {
            results.Add(await client.SendAsync(Get(server), CancellationToken.None));
        }

        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.Error), Has.All.EqualTo(ErrorKind.None));
            Assert.That(results.Select(r => r.Bytes), Has.All.EqualTo(5));
            Assert.That(server.AcceptedConnections, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SendAsync_NoServerTraceId_SendsFreshTraceparentAndReportsItsTraceId()
    {
        await using var server = LoopbackServer.Start();
        using HttpLoadClient client = NewClient();

        RequestResult first = await Send(client, Get(server), CancellationToken.None);
        RequestResult second = await Send(client, Get(server), CancellationToken.None);

        IReadOnlyList<LoopbackRequest> received = server.Requests;
        Assert.That(received, Has.Count.EqualTo(2));
        Match match = TraceparentFormat.Match(received[0].Header("traceparent") ?? "");
        Assert.Multiple(() =>
        {
            Assert.That(match.Success, Is.True, received[0].Header("traceparent"));
            Assert.That(first.TraceId, Is.EqualTo(match.Groups[1].Value));
            Assert.That(received[1].Header("traceparent"), Is.Not.EqualTo(received[0].Header("traceparent")));
            Assert.That(second.TraceId, Is.Not.EqualTo(first.TraceId));
        });
    }

    [Test]
    public async Task SendAsync_ServerSendsTraceId_ReportsServerTraceIdLowercase()
    {
        const string serverTrace = "4BF92F3577B34DA6A3CE929D0E0E4736";
        await using var server = LoopbackServer.Start(ctx => ctx.RespondAsync(200, "", ("X-Trace-ID", serverTrace)));
        using HttpLoadClient client = NewClient();

        RequestResult result = await Send(client, Get(server), CancellationToken.None);

        Assert.That(result.TraceId, Is.EqualTo(serverTrace.ToLowerInvariant()));
    }

    [Test]
    public async Task SendAsync_ServerSendsMalformedTraceId_ReportsSentTraceId()
    {
        await using var server = LoopbackServer.Start(ctx => ctx.RespondAsync(200, "", ("X-Trace-ID", "not-a-trace")));
        using HttpLoadClient client = NewClient();

        RequestResult result = await Send(client, Get(server), CancellationToken.None);

        Match sent = TraceparentFormat.Match(server.Requests.Single().Header("traceparent") ?? "");
        Assert.That(result.TraceId, Is.EqualTo(sent.Groups[1].Value));
    }

    [Test]
    public async Task SendAsync_BodyDelayedAfterHeaders_TtfbBeforeTotal()
    {
        await using var server = LoopbackServer.Start(async ctx =>
        {
            await ctx.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
            // Timers may fire a little early (seen: 49.2 ms); wait on the stopwatch so the pause is at least 50 ms.
            var paused = Stopwatch.StartNew();
            while (paused.Elapsed < TimeSpan.FromMilliseconds(50))
            {
                await Task.Delay(2, ctx.Aborted);
            }

            await ctx.WriteAsync("hello");
        });
        using HttpLoadClient client = NewClient();

        RequestResult result = await Send(client, Get(server), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.None));
            Assert.That(result.TtfbMicros, Is.GreaterThanOrEqualTo(0));
            Assert.That(result.TtfbMicros, Is.LessThan(result.TotalMicros));
            Assert.That(result.TotalMicros, Is.GreaterThanOrEqualTo(50_000));
            Assert.That(result.Bytes, Is.EqualTo(5));
        });
    }

    [Test]
    public async Task SendAsync_ServerDelays20Ms_TotalAtLeast20Ms()
    {
        await using var server = LoopbackServer.Start(async ctx =>
        {
            // Timers may fire a little early; wait on the stopwatch so the delay is at least 20 ms.
            var elapsed = Stopwatch.StartNew();
            while (elapsed.Elapsed < TimeSpan.FromMilliseconds(20))
            {
                await Task.Delay(2, ctx.Aborted);
            }

            await ctx.RespondAsync(200, "ok");
        });
        using HttpLoadClient client = NewClient();

        RequestResult result = await Send(client, Get(server), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.None));
            Assert.That(result.TotalMicros, Is.GreaterThanOrEqualTo(20_000));
            Assert.That(result.TtfbMicros, Is.GreaterThanOrEqualTo(20_000));
        });
    }

    [TestCase(500, ErrorKind.Http5xx)]
    [TestCase(503, ErrorKind.Http5xx)]
    [TestCase(404, ErrorKind.Http4xx)]
    [TestCase(204, ErrorKind.None)]
    public async Task SendAsync_Status_ErrorKindByClass(int status, ErrorKind expected)
    {
        await using var server = LoopbackServer.Start(status, "");
        using HttpLoadClient client = NewClient();

        RequestResult result = await Send(client, Get(server), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(status));
            Assert.That(result.Error, Is.EqualTo(expected));
            Assert.That(result.ErrorMessage, expected == ErrorKind.None ? Is.Null : Does.StartWith($"HTTP {status}"));
        });
    }

    [Test]
    public async Task SendAsync_NothingListening_Refused()
    {
        // A port that was just free: bind, note it, release it.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using HttpLoadClient client = NewClient();

        RequestResult result = await Send(client, 
            new RequestSpec("GET /x", "GET", new Uri($"http://127.0.0.1:{port}/x")), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.Refused));
            Assert.That(result.StatusCode, Is.Zero);
            Assert.That(result.TtfbMicros, Is.EqualTo(-1));
            Assert.That(result.ErrorMessage, Is.Not.Empty.And.Not.Contains("\n"));
        });
    }

    [Test]
    public async Task SendAsync_ServerNeverAnswers_TimeoutWithinLimit()
    {
        await using var server = LoopbackServer.Start(ctx => ctx.NeverAnswerAsync());
        using HttpLoadClient client = NewClient(timeoutSeconds: 0.5);

        var elapsed = Stopwatch.StartNew();
        RequestResult result = await Send(client, Get(server), CancellationToken.None);
        elapsed.Stop();

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.Timeout));
            Assert.That(result.TotalMicros, Is.GreaterThanOrEqualTo(450_000));
            Assert.That(elapsed.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1.5)));
        });
    }

    [Test]
    public async Task SendAsync_BodyStallsPastTimeout_Timeout()
    {
        await using var server = LoopbackServer.Start(async ctx =>
        {
            await ctx.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc");
            await ctx.NeverAnswerAsync();
        });
        using HttpLoadClient client = NewClient(timeoutSeconds: 0.3);

        RequestResult result = await Send(client, Get(server), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.Timeout));
            Assert.That(result.StatusCode, Is.EqualTo(200));
        });
    }

    [Test]
    public async Task SendAsync_CallerCancels_Canceled()
    {
        await using var server = LoopbackServer.Start(ctx => ctx.NeverAnswerAsync());
        using HttpLoadClient client = NewClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        RequestResult result = await client.SendAsync(Get(server), cts.Token);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.Canceled));
            Assert.That(result.TotalMicros, Is.LessThan(1_500_000));
        });
    }

    [Test]
    public async Task SendAsync_ResetMidBody_Reset()
    {
        await using var server = LoopbackServer.Start(async ctx =>
        {
            await ctx.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789");
            await Task.Delay(20, ctx.Aborted); // let the headers arrive first
            ctx.Reset();
        });
        using HttpLoadClient client = NewClient();

        RequestResult result = await Send(client, Get(server), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.Reset), result.ErrorMessage);
            Assert.That(result.StatusCode, Is.EqualTo(200));
        });
    }

    [Test]
    public async Task SendAsync_ClosedMidBody_Reset()
    {
        // "The response ended prematurely": a graceful close before Content-Length bytes arrived.
        await using var server = LoopbackServer.Start(async ctx =>
        {
            await ctx.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789");
            ctx.Close();
        });
        using HttpLoadClient client = NewClient();

        RequestResult result = await Send(client, Get(server), CancellationToken.None);

        Assert.That(result.Error, Is.EqualTo(ErrorKind.Reset), result.ErrorMessage);
    }

    [Test]
    public async Task SendAsync_ClosedBeforeAnswering_Reset()
    {
        await using var server = LoopbackServer.Start(ctx =>
        {
            ctx.Close();
            return Task.CompletedTask;
        });
        using HttpLoadClient client = NewClient();

        RequestResult result = await Send(client, Get(server), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.Reset), result.ErrorMessage);
            Assert.That(result.StatusCode, Is.Zero);
        });
    }

    [Test]
    public async Task SendAsync_GarbageResponse_Protocol()
    {
        await using var server = LoopbackServer.Start(async ctx =>
        {
            await ctx.WriteAsync("SSH-2.0-OpenSSH_9.6 garbage\r\n\r\n");
            ctx.Close();
        });
        using HttpLoadClient client = NewClient();

        RequestResult result = await Send(client, Get(server), CancellationToken.None);

        Assert.That(result.Error, Is.EqualTo(ErrorKind.Protocol), result.ErrorMessage);
    }

    [Test]
    public async Task SendAsync_ServerReportsTime_ServerTimeMs()
    {
        await using var server = LoopbackServer.Start(ctx => ctx.RespondAsync(200, "", ("Server-Timing", "db;dur=1, total;dur=7.5")));
        using HttpLoadClient client = NewClient();

        RequestResult result = await Send(client, Get(server), CancellationToken.None);

        Assert.That(result.ServerTimeMs, Is.EqualTo(7.5));
    }

    [Test]
    public async Task SendAsync_BodyAndHeaders_RoutedToRequestAndContent()
    {
        await using var server = LoopbackServer.Start(201, "{}");
        using HttpLoadClient client = NewClient();
        var spec = new RequestSpec(
            "POST /boards",
            "POST",
            new Uri(server.BaseUrl, "/boards?x=1"),
            [new("X-Api-Key", "k1"), new("Host", "forum.test"), new("Content-Language", "de")],
            Encoding.UTF8.GetBytes("{\"name\":\"b\"}"));

        RequestResult result = await Send(client, spec, CancellationToken.None);

        LoopbackRequest received = server.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.None));
            Assert.That(result.Label, Is.EqualTo("POST /boards"));
            Assert.That(received.Method, Is.EqualTo("POST"));
            Assert.That(received.Target, Is.EqualTo("/boards?x=1"));
            Assert.That(received.Header("Content-Type"), Is.EqualTo("application/json"));
            Assert.That(received.Header("Content-Language"), Is.EqualTo("de"));
            Assert.That(received.Header("X-Api-Key"), Is.EqualTo("k1"));
            Assert.That(received.Header("Host"), Is.EqualTo("forum.test"));
            Assert.That(Encoding.UTF8.GetString(received.Body), Is.EqualTo("{\"name\":\"b\"}"));
        });
    }

    [Test]
    public async Task SendAsync_ExplicitContentTypeAndOwnTraceparent_ContentTypeKeptTraceparentFresh()
    {
        await using var server = LoopbackServer.Start();
        using HttpLoadClient client = NewClient();
        const string stale = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var spec = new RequestSpec(
            "PUT /x", "PUT", new Uri(server.BaseUrl, "/x"), [new("traceparent", stale)], [1, 2, 3], "application/octet-stream");

        await Send(client, spec, CancellationToken.None);

        LoopbackRequest received = server.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(received.Header("Content-Type"), Is.EqualTo("application/octet-stream"));
            Assert.That(received.Header("traceparent"), Does.Match(TraceparentFormat).And.Not.EqualTo(stale));
        });
    }

    [Test]
    public async Task SendAsync_InjectedClockAndLag_CopiedIntoResult()
    {
        var now = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
        await using var server = LoopbackServer.Start();
        using HttpLoadClient client = NewClient(time: new FixedTimeProvider(now));

        RequestResult result = await client.SendAsync(Get(server), CancellationToken.None, lagMicros: 1234);

        Assert.Multiple(() =>
        {
            Assert.That(result.StartedAt, Is.EqualTo(now));
            Assert.That(result.LagMicros, Is.EqualTo(1234));
            Assert.That(result.CorrectedMicros, Is.EqualTo(result.TotalMicros + 1234));
        });
    }

    [Test]
    public async Task SendForBodyAsync_LongBody_KeepsFirstBytesCountsAll()
    {
        string body = "{\"id\":42," + new string('x', 90) + "}";
        await using var server = LoopbackServer.Start(200, body);
        using HttpLoadClient client = NewClient();

        (RequestResult result, string? kept) = await client.SendForBodyAsync(Get(server), CancellationToken.None, maxBodyBytes: 9);

        Assert.Multiple(() =>
        {
            Assert.That(kept, Is.EqualTo("{\"id\":42,"));
            Assert.That(result.Bytes, Is.EqualTo(body.Length));
        });
    }

    [Test]
    public async Task SendForBodyAsync_NoResponse_NullBody()
    {
        await using var server = LoopbackServer.Start(ctx =>
        {
            ctx.Close();
            return Task.CompletedTask;
        });
        using HttpLoadClient client = NewClient();

        (RequestResult result, string? body) = await client.SendForBodyAsync(Get(server), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.False);
            Assert.That(body, Is.Null);
        });
    }

    [Test]
    public void SendAsync_RelativeUrl_ArgumentException()
    {
        using HttpLoadClient client = NewClient();
        var spec = new RequestSpec("GET /x", "GET", new Uri("/x", UriKind.Relative));

        Assert.That(() => Send(client, spec, CancellationToken.None), Throws.InstanceOf<ArgumentException>());
    }

    [TestCase("")]
    [TestCase("BAD METHOD")]
    public void SendAsync_MalformedMethod_ArgumentException(string method)
    {
        using HttpLoadClient client = NewClient();
        var spec = new RequestSpec("x", method, new Uri("http://127.0.0.1:1/x"));

        Assert.That(() => client.SendAsync(spec, CancellationToken.None), Throws.InstanceOf<ArgumentException>());
    }

    [Test]
    public async Task SendAsync_ConcurrentRequests_AtMostMaxConnections()
    {
        await using var server = LoopbackServer.Start(async ctx =>
        {
            await Task.Delay(5, ctx.Aborted); // hold the connection so requests overlap
            await ctx.RespondAsync(200, "ok");
        });
        using HttpLoadClient client = NewClient(maxConnections: 3);

        RequestResult[] results = await Task.WhenAll(
            Enumerable.Range(0, 30).Select(_ => client.SendAsync(Get(server), CancellationToken.None)));

        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.Error), Has.All.EqualTo(ErrorKind.None));
            Assert.That(server.AcceptedConnections, Is.InRange(1, 3));
            Assert.That(server.Faults, Is.Empty);
        });
    }

    [TestCase(0, 10)]
    [TestCase(-1, 10)]
    [TestCase(1, 0)]
    public void Constructor_InvalidOptions_ArgumentException(double timeoutSeconds, int maxConnections)
    {
        var options = new HttpLoadClientOptions(timeoutSeconds, maxConnections) { Engine = engine };

        Assert.That(() => new HttpLoadClient(options, TimeProvider.System), Throws.InstanceOf<ArgumentException>());
    }

    /// <summary>Answers one fixed wall-clock time, to pin <see cref="RequestResult.StartedAt"/>.</summary>
    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
