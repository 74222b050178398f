using System.Net;
using System.Net.Sockets;
using PerfTools.BottleneckDetector;
using PerfTools.Shared.Analysis;
using RichardSzalay.MockHttp;

namespace PerfTools.Tests.BottleneckDetector.Wiring;

public class JaegerTracesAnalyzerTests
{
    private static readonly Uri Jaeger = new("http://127.0.0.1:16686/");

    private static DetectorSettings Settings(string? service = null) => new(
        new Uri("http://127.0.0.1:9090/"), Jaeger, "reports", 500,
        DateTimeOffset.FromUnixTimeSeconds(1_700_000_060), TimeSpan.FromMinutes(5), "5m", service, 20, Severity.Critical, 5, null, null);

    private static string Data(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "jaeger", name));

    [Test]
    public async Task AnalyzeAsync_V3Jaeger_SearchesEveryApplicationServiceAndRunsTheRules()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://127.0.0.1:16686/api/v3/services").Respond("application/json", Data("v3_services.json"));
        mock.When("http://127.0.0.1:16686/api/v3/traces").WithQueryString("query.serviceName", "forum-api")
            .Respond("application/json", Data("v3_search.json"));
        mock.When("http://127.0.0.1:16686/api/v3/traces").WithQueryString("query.serviceName", "notifications")
            .Respond(HttpStatusCode.NotFound, "application/json", Data("v3_error_404.json"));
        using var http = mock.ToHttpClient();

        TracesAnalysis analysis = await new JaegerTracesAnalyzer(http, TimeProvider.System).AnalyzeAsync(Settings(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(analysis.Status.Reachable, Is.True, analysis.Status.Message);
            Assert.That(analysis.Status.Api, Is.EqualTo("v3"));
            Assert.That(analysis.Services, Is.EqualTo(new[] { "forum-api", "notifications" }), "Jaeger's own services are left out");
            Assert.That(analysis.TracesAnalyzed, Is.GreaterThanOrEqualTo(1));
            Assert.That(analysis.Findings.Select(f => f.Rule), Does.Contain("slow_trace"));
        });
    }

    [Test]
    public async Task AnalyzeAsync_ConnectionRefused_ReportsUnreachableWithoutFindings()
    {
        using var mock = new MockHttpMessageHandler();
        mock.Fallback.Throw(new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)));
        using var http = mock.ToHttpClient();

        TracesAnalysis analysis = await new JaegerTracesAnalyzer(http, TimeProvider.System).AnalyzeAsync(Settings(), CancellationToken.None);

        Assert.That(analysis.Status.Reachable, Is.False);
        Assert.That(analysis.Status.Message, Does.Contain("refused"));
        Assert.That(analysis.Findings, Is.Empty);
    }
}
