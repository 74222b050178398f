using System.Net;
using System.Net.Sockets;
using PerfTools.Shared.Tracing;
using RichardSzalay.MockHttp;

namespace PerfTools.Tests.Tracing;

public class JaegerClientTests
{
    private const string Id = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string Base = "http://127.0.0.1:16686";
    private static readonly Uri BaseUri = new(Base);

    [Test]
    public async Task GetTraceAsync_V3Serves_FoundViaV3WithBearerToken()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When($"{Base}/api/v3/traces/{Id}")
            .WithHeaders("Authorization", "Bearer s3cret")
            .Respond("application/json", TracingTestData.Read("v3_trace.json"));
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri, "s3cret");

        var result = await client.GetTraceAsync(Id, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(TraceFetchStatus.Found));
            Assert.That(result.Trace!.Spans, Has.Count.EqualTo(2));
            Assert.That(result.Api, Is.EqualTo("v3"));
            Assert.That(client.ApiVersion, Is.EqualTo("v3"));
        });
    }

    [Test]
    public async Task GetTraceAsync_V3NotServed_FallsBackToV1AndRemembers()
    {
        using var mock = new MockHttpMessageHandler();
        var v3 = mock.When($"{Base}/api/v3/traces/*").Respond(HttpStatusCode.NotFound, "text/plain", "404 page not found");
        mock.When($"{Base}/api/traces/{Id}").Respond("application/json", TracingTestData.Read("v1_nplus1_trace.json"));
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri);

        var first = await client.GetTraceAsync(Id, CancellationToken.None);
        var second = await client.GetTraceAsync(Id, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Status, Is.EqualTo(TraceFetchStatus.Found));
            Assert.That(first.Api, Is.EqualTo("v1"));
            Assert.That(first.Trace!.Spans, Has.Count.EqualTo(8));
            Assert.That(second.Status, Is.EqualTo(TraceFetchStatus.Found));
            Assert.That(client.ApiVersion, Is.EqualTo("v1"));
            Assert.That(mock.GetMatchCount(v3), Is.EqualTo(1), "v3 is not tried again once v1 answered");
        });
    }

    [Test]
    public async Task GetTraceAsync_V3ServesHtml_FallsBackToV1()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When($"{Base}/api/v3/traces/*").Respond("text/html", "<!doctype html><html>Jaeger UI</html>");
        mock.When($"{Base}/api/traces/{Id}").Respond("application/json", TracingTestData.Read("v1_nplus1_trace.json"));
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri);

        var result = await client.GetTraceAsync(Id, CancellationToken.None);

        Assert.That(result.Api, Is.EqualTo("v1"));
    }

    [Test]
    public async Task GetTraceAsync_V1TraceNotFound_NotFound()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When($"{Base}/api/v3/traces/*").Respond(HttpStatusCode.MethodNotAllowed);
        mock.When($"{Base}/api/traces/{Id}").Respond(HttpStatusCode.NotFound, "text/plain", TracingTestData.Read("v1_error_404.json"));
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri);

        var result = await client.GetTraceAsync(Id, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(TraceFetchStatus.NotFound));
            Assert.That(result.Message, Is.EqualTo($"trace {Id} not found in Jaeger (v1 API)"));
        });
    }

    [Test]
    public async Task GetTraceAsync_V3TraceNotFound_NotFoundWithoutFallback()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When($"{Base}/api/v3/traces/*").Respond(HttpStatusCode.NotFound, "application/json", TracingTestData.Read("v3_error_404.json"));
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri);

        var result = await client.GetTraceAsync("4BF92F3577B34DA6A3CE929D0E0E4736", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(TraceFetchStatus.NotFound));
            Assert.That(result.Api, Is.EqualTo("v3"));
            Assert.That(result.Message, Is.EqualTo($"trace {Id} not found in Jaeger (v3 API)"));
        });
    }

    [Test]
    public async Task GetTraceAsync_NonJson200_BadResponseQuotingOneLineOfBody()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When($"{Base}/api/v3/traces/*").Respond("application/json", "oops\nthis is\tnot json " + new string('x', 300));
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri);

        var result = await client.GetTraceAsync(Id, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(TraceFetchStatus.BadResponse));
            Assert.That(result.Message, Does.Contain("oops this is not json"));
            Assert.That(result.Message, Does.Not.Contain("\n"));
            Assert.That(result.Message, Does.Not.Contain(new string('x', 101)));
            Assert.That(client.ApiVersion, Is.Null);
        });
    }

    [Test]
    public async Task GetTraceAsync_ServerError_BadResponseWithStatus()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When($"{Base}/api/v3/traces/*").Respond(HttpStatusCode.InternalServerError, "text/plain", "storage down");
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri);

        var result = await client.GetTraceAsync(Id, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(TraceFetchStatus.BadResponse));
            Assert.That(result.Message, Does.Contain("HTTP 500").And.Contain("storage down"));
        });
    }

    [Test]
    public async Task GetTraceAsync_ConnectionRefused_Unreachable()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("*").Throw(new HttpRequestException("Connection refused (127.0.0.1:16686)", new SocketException((int)SocketError.ConnectionRefused)));
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri);

        var result = await client.GetTraceAsync(Id, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(TraceFetchStatus.Unreachable));
            Assert.That(result.Message, Is.EqualTo("Jaeger http://127.0.0.1:16686 unreachable: connection refused"));
        });
    }

    [Test]
    [SetCulture("de-DE")]
    public async Task GetTraceAsync_ServerHangs_UnreachableAfterTimeout()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(new HangingHandler());
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri, timeout: TimeSpan.FromMilliseconds(50));

        var result = await client.GetTraceAsync(Id, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(TraceFetchStatus.Unreachable));
            Assert.That(result.Message, Is.EqualTo("Jaeger http://127.0.0.1:16686 unreachable: timed out after 0.05 s"));
        });
    }

    [Test]
    public void GetTraceAsync_CallerCancels_Throws()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(new HangingHandler());
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));

        Assert.That(async () => await client.GetTraceAsync(Id, cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void GetTraceAsync_NotHex_ThrowsArgumentException()
    {
        using var mock = new MockHttpMessageHandler();
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri);

        Assert.That(async () => await client.GetTraceAsync("not-a-trace", CancellationToken.None), Throws.ArgumentException);
    }

    [Test]
    public async Task GetServicesAsync_V3ThenV1_ReadsBothShapes()
    {
        using var v3Mock = new MockHttpMessageHandler();
        v3Mock.When($"{Base}/api/v3/services").Respond("application/json", """{"services":["forum-api","db"]}""");
        using var v1Mock = new MockHttpMessageHandler();
        v1Mock.When($"{Base}/api/v3/services").Respond(HttpStatusCode.NotFound, "text/plain", "404 page not found");
        v1Mock.When($"{Base}/api/services").Respond("application/json", """{"data":["forum-api"],"total":1,"limit":0,"offset":0,"errors":null}""");

        var v3 = await new JaegerClient(v3Mock.ToHttpClient(), BaseUri).GetServicesAsync(CancellationToken.None);
        var v1 = await new JaegerClient(v1Mock.ToHttpClient(), BaseUri).GetServicesAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(v3, Is.EqualTo(new[] { "db", "forum-api" }));
            Assert.That(v1, Is.EqualTo(new[] { "forum-api" }));
        });
    }

    /// <summary>A server that accepts the request and never answers.</summary>
    private sealed class HangingHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
