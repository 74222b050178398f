using System.Diagnostics;
using System.Text;
using PerfTools.Shared.Http;
using PerfTools.Tests.Http;

namespace PerfTools.Tests.Hardening;

/// <summary>The load engine against faulty servers on real sockets: each fault ends as one result of the right kind,
/// within its timeout, in bounded memory. (Refused, never-answers and reset are pinned in <see cref="HttpLoadClientTests"/>.)</summary>
/// <remarks>The matrix runs over both engines: the toolkit's own HTTP/1.1 engine and HttpClient.</remarks>
[TestFixture(LoadEngine.Http1, false)]
[TestFixture(LoadEngine.HttpClient, false)]
[TestFixture(LoadEngine.Http1, true)]
public class LoadClientFaultTests(LoadEngine engine, bool eventLoop)
{
    private HttpLoadClient NewClient(double timeoutSeconds = 2, bool insecure = false) =>
        new(new HttpLoadClientOptions(timeoutSeconds, MaxConnections: 4, Insecure: insecure) { Engine = engine }, TimeProvider.System);

    private Task<RequestResult> Send(HttpLoadClient client, RequestSpec spec, CancellationToken ct) =>
        EventLoopSend.SendAsync(client, spec, ct, eventLoop);

    private static RequestSpec Get(Uri baseUrl, string path = "/x", params KeyValuePair<string, string>[] headers) =>
        new("GET /x", "GET", new Uri(baseUrl, path), headers);

    [Test]
    public async Task SendAsync_HostDoesNotResolve_Dns()
    {
        using HttpLoadClient client = NewClient();

        RequestResult result = await Send(client, Get(new Uri(FaultyResponses.UnresolvableBaseUrl)), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.Dns), result.ErrorMessage);
            Assert.That(result.StatusCode, Is.Zero);
        });
    }

    [TestCase(false, TestName = "SendAsync_ServerTricklesWholeResponse_TimeoutWithinLimit")]
    [TestCase(true, TestName = "SendAsync_ServerTricklesBody_TimeoutWithinLimit")]
    [Category("Slow")]
    public async Task SendAsync_ServerTrickles_TimeoutWithinLimit(bool headersFirst)
    {
        TimeSpan every = TimeSpan.FromMilliseconds(200);
        await using var server = LoopbackServer.Start(headersFirst ? FaultyResponses.TrickleBody(every) : FaultyResponses.Trickle(every));
        using HttpLoadClient client = NewClient(timeoutSeconds: 1);

        var clock = Stopwatch.StartNew();
        RequestResult result = await Send(client, Get(server.BaseUrl), CancellationToken.None);
        clock.Stop();

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.Timeout), result.ErrorMessage);
            Assert.That(result.StatusCode, Is.EqualTo(headersFirst ? 200 : 0));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "each byte resets no timer: the limit is for the whole answer");
            Assert.That(result.TotalMicros, Is.GreaterThanOrEqualTo(950_000));
        });
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task SendForBodyAsync_TenMegabyteBody_CountsEveryByteKeepsOnlyTheCap(bool declareLength)
    {
        await using var server = LoopbackServer.Start(FaultyResponses.LargeBody(FaultyResponses.TenMegabytes, prefix: "{\"id\":7,", declareLength: declareLength));
        using HttpLoadClient client = NewClient(timeoutSeconds: 10);
        await Send(client, Get(server.BaseUrl), CancellationToken.None); // connect and JIT outside the measurement

        long before = GC.GetTotalAllocatedBytes(precise: true);
        (RequestResult result, string? body) = await client.SendForBodyAsync(Get(server.BaseUrl), CancellationToken.None, maxBodyBytes: 4096);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.None), result.ErrorMessage);
            Assert.That(result.Bytes, Is.EqualTo(FaultyResponses.TenMegabytes));
            Assert.That(body, Has.Length.EqualTo(4096).And.StartWith("{\"id\":7,"));
            // Holding the body would allocate 10 MB at least; streaming it costs buffers of a few KiB.
            Assert.That(allocated, Is.LessThan(2 * 1024 * 1024), $"{allocated} bytes allocated");
        });
    }

    [TestCase("huge")]
    [TestCase("no colon")]
    [TestCase("bad length")]
    public async Task SendAsync_HugeOrMalformedHeaders_Protocol(string fault)
    {
        await using var server = LoopbackServer.Start(fault switch
        {
            "huge" => FaultyResponses.HugeHeaders,
            "no colon" => FaultyResponses.MalformedHeader,
            _ => FaultyResponses.MalformedContentLength,
        });
        using HttpLoadClient client = NewClient();

        RequestResult result = await Send(client, Get(server.BaseUrl), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.Protocol), result.ErrorMessage);
            Assert.That(result.ErrorMessage, Is.Not.Empty.And.Not.Contains("\n"));
        });
    }

    [Test]
    public async Task SendAsync_FiveSameOriginRedirects_FollowedLatencyCoversEveryHop()
    {
        // /r/5 → /r/4 → … → /r/0 answers; every hop takes 20 ms.
        await using var server = LoopbackServer.Start(async ctx =>
        {
            await Task.Delay(20, ctx.Aborted);
            int left = int.Parse(ctx.Request.Target["/r/".Length..], System.Globalization.CultureInfo.InvariantCulture);
            await (left == 0 ? ctx.RespondAsync(200, "done") : FaultyResponses.Redirect(ctx, $"/r/{left - 1}", left % 2 == 0 ? 301 : 307));
        });
        using HttpLoadClient client = NewClient();

        RequestResult result = await Send(client, Get(server.BaseUrl, "/r/5"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.None), result.ErrorMessage);
            Assert.That(result.StatusCode, Is.EqualTo(200));
            Assert.That(result.Redirects, Is.EqualTo(5));
            Assert.That(result.Bytes, Is.EqualTo(4));
            Assert.That(server.Requests.Select(r => r.Target), Is.EqualTo(new[] { "/r/5", "/r/4", "/r/3", "/r/2", "/r/1", "/r/0" }));
            Assert.That(result.TotalMicros, Is.GreaterThanOrEqualTo(6 * 19_000), "six answers of 20 ms each");
            Assert.That(result.Url, Does.EndWith("/r/5"), "results are labelled with what was asked for");
        });
    }

    [Test]
    public async Task SendAsync_SixthRedirect_NotFollowedCountedAsRedirect()
    {
        await using var server = LoopbackServer.Start(ctx => FaultyResponses.Redirect(ctx, ctx.Request.Target + "/again"));
        using HttpLoadClient client = NewClient();

        RequestResult result = await Send(client, Get(server.BaseUrl, "/loop"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.Redirect));
            Assert.That(result.StatusCode, Is.EqualTo(302));
            Assert.That(result.Redirects, Is.EqualTo(OutboundPolicyHandler.MaxRedirects));
            Assert.That(server.Requests, Has.Count.EqualTo(6), "the first request and five redirects, not a seventh");
            Assert.That(result.ErrorMessage, Is.EqualTo(
                $"redirect to {server.BaseUrl}loop{string.Concat(Enumerable.Repeat("/again", 6))} not followed (more than 5 redirects)"));
        });
    }

    [Test]
    public async Task SendAsync_RedirectToAnotherPort_NotFollowedNoSecretsLeaveTheOrigin()
    {
        await using var other = LoopbackServer.Start(200, "should never be asked");
        string location = $"http://user:hunter2@127.0.0.1:{other.Port}/elsewhere";
        await using var server = LoopbackServer.Start(ctx => FaultyResponses.Redirect(ctx, location, 307));
        using HttpLoadClient client = NewClient();

        RequestResult result = await Send(client, 
            Get(server.BaseUrl, "/x", new("Authorization", "Bearer s3cret"), new("Cookie", "session=abc"), new("Proxy-Authorization", "Basic eA==")),
            CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.Redirect));
            Assert.That(result.ErrorMessage, Is.EqualTo($"redirect to http://127.0.0.1:{other.Port}/elsewhere not followed (another origin)"));
            Assert.That(result.ErrorMessage, Does.Not.Contain("hunter2"));
            Assert.That(other.Requests, Is.Empty, "no Authorization, Cookie or Proxy-Authorization reached the other host");
            Assert.That(other.AcceptedConnections, Is.Zero);
            Assert.That(server.Requests.Single().Header("Authorization"), Is.EqualTo("Bearer s3cret"), "the origin itself got it");
        });
    }

    [TestCase("https://127.0.0.1:{port}/x", TestName = "SendAsync_RedirectToHttps_NotFollowed")]
    [TestCase("http://localhost:{port}/x", TestName = "SendAsync_RedirectToOtherHostName_NotFollowed")]
    [TestCase("ftp://127.0.0.1:{port}/x", TestName = "SendAsync_RedirectToOtherScheme_NotFollowed")]
    public async Task SendAsync_RedirectToOtherOrigin_NotFollowed(string location)
    {
        string? target = null; // known once the server has its port
        await using var server = LoopbackServer.Start(ctx => ctx.Request.Target == "/start"
            ? FaultyResponses.Redirect(ctx, target!)
            : ctx.RespondAsync(200, "followed"));
        target = location.Replace("{port}", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        using HttpLoadClient client = NewClient();

        RequestResult result = await Send(client, Get(server.BaseUrl, "/start"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.Redirect), result.ErrorMessage);
            Assert.That(result.ErrorMessage, Does.EndWith("not followed (another origin)"));
            Assert.That(server.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task SendAsync_RedirectWithoutLocation_NotFollowedCountedAsRedirect()
    {
        await using var server = LoopbackServer.Start(ctx => ctx.RespondAsync(302, "moved somewhere"));
        using HttpLoadClient client = NewClient();

        RequestResult result = await Send(client, Get(server.BaseUrl), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.Redirect));
            Assert.That(result.ErrorMessage, Is.EqualTo("HTTP 302 redirect without a usable Location not followed"));
        });
    }

    [TestCase(301, "POST", "GET", false)]
    [TestCase(302, "POST", "GET", false)]
    [TestCase(303, "POST", "GET", false)]
    [TestCase(303, "PUT", "GET", false)]
    [TestCase(307, "POST", "POST", true)]
    [TestCase(308, "PUT", "PUT", true)]
    [TestCase(301, "PUT", "PUT", true)]
    public async Task SendAsync_RedirectStatus_MethodAndBodyAsBrowsersDo(int status, string method, string expectedMethod, bool bodyKept)
    {
        await using var server = LoopbackServer.Start(ctx => ctx.Request.Target == "/from"
            ? FaultyResponses.Redirect(ctx, "/to", status)
            : ctx.RespondAsync(200, "ok"));
        using HttpLoadClient client = NewClient();
        var spec = new RequestSpec("x", method, new Uri(server.BaseUrl, "/from"), [new("Authorization", "Bearer same-origin")], Encoding.UTF8.GetBytes("{\"a\":1}"));

        RequestResult result = await Send(client, spec, CancellationToken.None);

        LoopbackRequest followed = server.Requests[^1];
        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.None), result.ErrorMessage);
            Assert.That(followed.Target, Is.EqualTo("/to"));
            Assert.That(followed.Method, Is.EqualTo(expectedMethod));
            Assert.That(Encoding.UTF8.GetString(followed.Body), Is.EqualTo(bodyKept ? "{\"a\":1}" : ""));
            Assert.That(followed.Header("Content-Type"), bodyKept ? Is.EqualTo("application/json") : Is.Null);
            Assert.That(followed.Header("Authorization"), Is.EqualTo("Bearer same-origin"), "same origin: the header stays");
        });
    }

    [Test]
    public async Task SendAsync_SelfSignedCertificate_ProtocolNamingTheFix()
    {
        await using var server = LoopbackServer.StartTls(TestCertificate.SelfSigned, ctx => ctx.RespondAsync(200, "secret"));
        using HttpLoadClient client = NewClient();

        RequestResult result = await Send(client, Get(server.BaseUrl), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.Protocol), result.ErrorMessage);
            Assert.That(result.StatusCode, Is.Zero);
            Assert.That(result.ErrorMessage, Does.StartWith("TLS certificate of 127.0.0.1 rejected (RemoteCertificateChainErrors: "));
            Assert.That(result.ErrorMessage, Does.Contain("UntrustedRoot").And.EndWith("use --insecure if you trust the server"));
            Assert.That(server.Requests, Is.Empty, "nothing was sent over the untrusted connection");
        });
    }

    [Test]
    public async Task SendAsync_SelfSignedCertificateInsecure_Answered()
    {
        await using var server = LoopbackServer.StartTls(TestCertificate.SelfSigned, ctx => ctx.RespondAsync(200, "secret"));
        using HttpLoadClient client = NewClient(insecure: true);

        RequestResult result = await Send(client, Get(server.BaseUrl), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.None), result.ErrorMessage);
            Assert.That(result.StatusCode, Is.EqualTo(200));
            Assert.That(result.Bytes, Is.EqualTo(6));
            Assert.That(server.Requests.Single().Target, Is.EqualTo("/x"));
        });
    }
}
