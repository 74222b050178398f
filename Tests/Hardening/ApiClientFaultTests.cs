using System.Diagnostics;
using PerfTools.Shared.Http;
using PerfTools.Shared.Metrics;
using PerfTools.Shared.Tracing;
using PerfTools.Tests.Http;

namespace PerfTools.Tests.Hardening;

/// <summary>The Prometheus and Jaeger clients over <see cref="OutboundPolicyHandler"/>, as the tools wire them, against
/// real loopback servers: bearer tokens stay with their origin, and a slow answer costs one timeout, not two.</summary>
public class ApiClientFaultTests
{
    private const string BuildInfo = """{"status":"success","data":{"version":"2.53.0","revision":"r","goVersion":"go1.22"}}""";

    private static HttpClient NewHttp(double timeoutSeconds = 2) =>
        new(OutboundPolicyHandler.Create(TimeSpan.FromSeconds(timeoutSeconds), insecure: false))
        {
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
        };

    [Test]
    public async Task Prometheus_SameOriginRedirect_FollowedWithToken()
    {
        await using var server = LoopbackServer.Start(ctx => ctx.Request.Target.StartsWith("/old/", StringComparison.Ordinal)
            ? FaultyResponses.Redirect(ctx, "/new/" + ctx.Request.Target["/old/".Length..], 308)
            : ctx.RespondAsync(200, BuildInfo));
        using HttpClient http = NewHttp();
        var client = new PrometheusClient(http, new Uri(server.BaseUrl, "/old/"), bearerToken: "prom-token");

        PrometheusBuildInfo info = (await client.BuildInfoAsync()).Data;

        Assert.Multiple(() =>
        {
            Assert.That(info.Version, Is.EqualTo("2.53.0"));
            Assert.That(server.Requests.Select(r => r.Target), Is.EqualTo(new[] { "/old/api/v1/status/buildinfo", "/new/api/v1/status/buildinfo" }));
            Assert.That(server.Requests.Select(r => r.Header("Authorization")), Has.All.EqualTo("Bearer prom-token"));
        });
    }

    [Test]
    public async Task Prometheus_RedirectToAnotherHost_TypedErrorTokenNotSent()
    {
        await using var other = LoopbackServer.Start(200, BuildInfo);
        await using var server = LoopbackServer.Start(ctx => FaultyResponses.Redirect(ctx, $"http://localhost:{other.Port}/api/v1/status/buildinfo"));
        using HttpClient http = NewHttp();
        var client = new PrometheusClient(http, server.BaseUrl, bearerToken: "prom-token");

        var error = Assert.ThrowsAsync<PrometheusException>(() => client.BuildInfoAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(PrometheusErrorKind.InvalidResponse));
            Assert.That(error.Message, Does.EndWith($"redirect to http://localhost:{other.Port}/api/v1/status/buildinfo not followed (another origin)"));
            Assert.That(other.AcceptedConnections, Is.Zero, "the token never reached the other host");
        });
    }

    [Test]
    public async Task Prometheus_BodyTricklesPastTimeout_OneTimeoutNotRetried()
    {
        await using var server = LoopbackServer.Start(FaultyResponses.TrickleBody(TimeSpan.FromMilliseconds(200)));
        using HttpClient http = NewHttp(timeoutSeconds: 1);
        var client = new PrometheusClient(http, server.BaseUrl);

        var clock = Stopwatch.StartNew();
        var error = Assert.ThrowsAsync<PrometheusException>(() => client.BuildInfoAsync());
        clock.Stop();

        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(PrometheusErrorKind.Connection));
            Assert.That(error.Message, Does.EndWith("/api/v1/status/buildinfo: answer not complete within 1 s"));
            Assert.That(server.Requests, Has.Count.EqualTo(1), "a timeout is not a blip worth retrying");
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "one 1 s timeout, not two");
        });
    }

    [Test]
    public async Task Prometheus_ResetMidBody_RetriedOnceThenConnectionError()
    {
        await using var server = LoopbackServer.Start(FaultyResponses.ResetMidBody);
        using HttpClient http = NewHttp();
        var client = new PrometheusClient(http, server.BaseUrl);

        var error = Assert.ThrowsAsync<PrometheusException>(() => client.BuildInfoAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(PrometheusErrorKind.Connection));
            Assert.That(error.Message, Does.Contain("connection broke while reading the answer"));
            Assert.That(server.Requests, Has.Count.EqualTo(2), "a broken connection is a blip: retried once");
        });
    }

    [Test]
    public async Task Jaeger_RedirectToAnotherHost_FailureTokenNotSent()
    {
        await using var other = LoopbackServer.Start(200, """{"services":["stolen"]}""");
        await using var server = LoopbackServer.Start(ctx => FaultyResponses.Redirect(ctx, $"http://localhost:{other.Port}{ctx.Request.Target}", 301));
        using HttpClient http = NewHttp();
        var client = new JaegerClient(http, server.BaseUrl, bearerToken: "jaeger-token", timeout: TimeSpan.FromSeconds(2));

        TraceFetchResult result = await client.GetTraceAsync("0af7651916cd43dd8448eb211c80319c", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(TraceFetchStatus.BadResponse));
            Assert.That(result.Message, Does.Contain($"redirect to http://localhost:{other.Port}/api/v3/traces/0af7651916cd43dd8448eb211c80319c not followed (another origin)"));
            Assert.That(other.AcceptedConnections, Is.Zero);
            Assert.That(server.Requests.Single().Header("Authorization"), Is.EqualTo("Bearer jaeger-token"));
        });
    }

    [Test]
    public async Task Jaeger_AnswerOverLimit_BadResponseSayingSo()
    {
        await using var server = LoopbackServer.Start(FaultyResponses.LargeBody(BoundedBody.DefaultMaxBytes + 1L, declareLength: false, contentType: "application/json"));
        using HttpClient http = NewHttp(timeoutSeconds: 10);
        var client = new JaegerClient(http, server.BaseUrl, timeout: TimeSpan.FromSeconds(10));

        TraceFetchResult result = await client.GetTraceAsync("0af7651916cd43dd8448eb211c80319c", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(TraceFetchStatus.BadResponse));
            Assert.That(result.Message, Is.EqualTo($"Jaeger {server.BaseUrl.AbsoluteUri.TrimEnd('/')}: answer larger than the 32 MiB limit; not read further"));
        });
    }
}
