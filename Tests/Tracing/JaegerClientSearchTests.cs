using System.Net;
using System.Net.Sockets;
using PerfTools.Shared.Tracing;
using RichardSzalay.MockHttp;

namespace PerfTools.Tests.Tracing;

public class JaegerClientSearchTests
{
    private const string Base = "http://127.0.0.1:16686";
    private static readonly Uri BaseUri = new(Base);
    private static readonly DateTimeOffset Start = new(2024, 1, 15, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddMinutes(15);

    [Test]
    public async Task SearchTracesAsync_V3Serves_TracesWithRfc3339WindowAndGoDuration()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When($"{Base}/api/v3/traces")
            .WithQueryString("query.serviceName", "forum-api")
            .WithQueryString("query.startTimeMin", "2024-01-15T10:00:00.0000000Z")
            .WithQueryString("query.startTimeMax", "2024-01-15T10:15:00.0000000Z")
            .WithQueryString("query.durationMin", "500ms")
            .WithQueryString("query.searchDepth", "20")
            .Respond("application/json", TracingTestData.Read("v3_search.json"));
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri);

        var result = await client.SearchTracesAsync("forum-api", Start, End, TimeSpan.FromMilliseconds(500), 20, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(TraceFetchStatus.Found), result.Message);
            Assert.That(result.Api, Is.EqualTo("v3"));
            Assert.That(result.Traces.Select(t => t.TraceId),
                Is.EquivalentTo(new[] { "0af7651916cd43dd8448eb211c80319c", "4bf92f3577b34da6a3ce929d0e0e4736" }));
            Assert.That(result.Traces.Sum(t => t.Spans.Count), Is.EqualTo(3));
            Assert.That(client.ApiVersion, Is.EqualTo("v3"));
        });
    }

    [Test]
    public async Task SearchTracesAsync_V3NoTracesFound404_NotFoundWithoutFallback()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When($"{Base}/api/v3/traces").Respond(HttpStatusCode.NotFound, "application/json", TracingTestData.Read("v3_error_404.json"));
        var v1 = mock.When($"{Base}/api/traces").Respond("application/json", TracingTestData.Read("v1_search.json"));
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri);

        var result = await client.SearchTracesAsync("forum-api", Start, End, null, 20, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(TraceFetchStatus.NotFound), result.Message);
            Assert.That(result.Traces, Is.Empty);
            Assert.That(result.Api, Is.EqualTo("v3"));
            Assert.That(result.Message, Does.Contain("no traces of forum-api"));
            Assert.That(mock.GetMatchCount(v1), Is.Zero, "a v3 'No traces found' is an answer, not a missing API");
        });
    }

    [Test]
    public async Task SearchTracesAsync_V3NotServed_V1WithMicrosecondWindowAndGoDuration()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When($"{Base}/api/v3/traces").Respond(HttpStatusCode.NotFound, "text/plain", "404 page not found");
        mock.When($"{Base}/api/traces")
            .WithExactQueryString("service=forum-api&start=1705312800000000&end=1705313700000000&limit=20&minDuration=1500us")
            .Respond("application/json", TracingTestData.Read("v1_search.json"));
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri);

        var result = await client.SearchTracesAsync("forum-api", Start, End, TimeSpan.FromMicroseconds(1500), 20, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(TraceFetchStatus.Found), result.Message);
            Assert.That(result.Api, Is.EqualTo("v1"));
            Assert.That(result.Traces, Has.Count.EqualTo(2));
            Assert.That(result.Traces[0].TraceId, Is.EqualTo("00000000000000000af7651916cd43dd"), "64-bit v1 ids are padded");
            Assert.That(client.ApiVersion, Is.EqualTo("v1"));
        });
    }

    [TestCase("v1_search_empty.json")]
    [TestCase(null)]
    public async Task SearchTracesAsync_V1EmptyOrNullData_NotFound(string? file)
    {
        using var mock = new MockHttpMessageHandler();
        mock.When($"{Base}/api/v3/traces").Respond(HttpStatusCode.NotImplemented);
        var body = file is null ? """{"data":null,"total":0,"limit":0,"offset":0,"errors":null}""" : TracingTestData.Read(file);
        mock.When($"{Base}/api/traces").Respond("application/json", body);
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri);

        var result = await client.SearchTracesAsync("forum-api", Start, End, null, 20, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(TraceFetchStatus.NotFound), result.Message);
            Assert.That(result.Api, Is.EqualTo("v1"));
        });
    }

    [Test]
    public async Task SearchTracesAsync_ConnectionRefused_Unreachable()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("*").Throw(new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)));
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri);

        var result = await client.SearchTracesAsync("forum-api", Start, End, null, 20, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(TraceFetchStatus.Unreachable));
            Assert.That(result.Api, Is.Null);
            Assert.That(result.Message, Does.Contain("connection refused"));
            Assert.That(client.ApiVersion, Is.Null);
        });
    }

    [Test]
    public async Task SearchTracesAsync_V3ServerError_BadResponseWithStatus()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When($"{Base}/api/v3/traces").Respond(HttpStatusCode.InternalServerError, "application/json",
            """{"error":{"httpCode":500,"message":"storage down"}}""");
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri);

        var result = await client.SearchTracesAsync("forum-api", Start, End, null, 20, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(TraceFetchStatus.BadResponse));
            Assert.That(result.Api, Is.EqualTo("v3"));
            Assert.That(result.Message, Does.Contain("HTTP 500").And.Contain("storage down"));
        });
    }

    [Test]
    public async Task SearchTracesAsync_V1NotJson_BadResponse()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When($"{Base}/api/v3/traces").Respond(HttpStatusCode.MethodNotAllowed);
        mock.When($"{Base}/api/traces").Respond("application/json", "{\"data\":[{\"nope\":1}]");
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri);

        var result = await client.SearchTracesAsync("forum-api", Start, End, null, 20, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(TraceFetchStatus.BadResponse));
            Assert.That(result.Api, Is.EqualTo("v1"));
            Assert.That(client.ApiVersion, Is.Null, "a bad answer does not settle which API the server speaks");
        });
    }

    [Test]
    public void SearchTracesAsync_EmptyWindow_ThrowsArgumentException()
    {
        using var mock = new MockHttpMessageHandler();
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri);

        Assert.That(async () => await client.SearchTracesAsync("forum-api", End, Start, null, 20, CancellationToken.None),
            Throws.ArgumentException);
    }

    [TestCase(500_000, "500ms")]
    [TestCase(1_500, "1500us")]
    [TestCase(2_000_000, "2000ms")]
    public void GoDuration_Micros_GoParseableText(long micros, string expected) =>
        Assert.That(JaegerClient.GoDuration(TimeSpan.FromMicroseconds(micros)), Is.EqualTo(expected));

    [Test]
    public async Task Applications_V3Services_ExcludesJaegersOwn()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When($"{Base}/api/v3/services").Respond("application/json", TracingTestData.Read("v3_services.json"));
        var client = new JaegerClient(mock.ToHttpClient(), BaseUri);

        var services = JaegerServices.Applications(await client.GetServicesAsync(CancellationToken.None));

        Assert.That(services, Is.EqualTo(new[] { "forum-api", "notifications" }));
    }

    [TestCase("jaeger", true)]
    [TestCase("jaeger-query", true)]
    [TestCase("Jaeger-All-In-One", true)]
    [TestCase("jaegerish-shop", false)]
    [TestCase("frontend", false)]
    public void IsJaegersOwn_Name_Expected(string service, bool expected) =>
        Assert.That(JaegerServices.IsJaegersOwn(service), Is.EqualTo(expected));
}
