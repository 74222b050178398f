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
    public void Statements_DbSpansOfTheTraces_EachTextOnceMostTotalTimeFirst()
    {
        // What --database-url EXPLAINs when the database keeps no statement statistics: the statement as the span
        // carries it (db.query.text, else db.statement), whitespace collapsed, with the system and database it names.
        static PerfTools.Shared.Tracing.Span Db(string id, long micros, string statement, string key = "db.statement") =>
            new("0af7651916cd43dd8448eb211c80319c", id.PadLeft(16, '0'), "1".PadLeft(16, '0'), "forum-api", "SELECT forum", 0, micros, "client",
                new Dictionary<string, string> { [key] = statement, ["db.system"] = "postgresql", ["db.name"] = "forum" }, false);
        var trace = new PerfTools.Shared.Tracing.Trace("0af7651916cd43dd8448eb211c80319c",
        [
            Db("2", 80_000, "SELECT COUNT(*) FROM comments WHERE post_id = @post_id"),
            Db("3", 90_000, "SELECT COUNT(*)\n  FROM comments WHERE post_id = @post_id"),
            Db("4", 120_000, "SELECT id FROM boards WHERE id = @id", "db.query.text"),
        ]);

        var statements = JaegerTracesAnalyzer.Statements([trace]);

        Assert.That(statements, Is.EqualTo(new[]
        {
            new TraceStatement("SELECT COUNT(*) FROM comments WHERE post_id = @post_id", "postgresql", "forum", 2, 170),
            new TraceStatement("SELECT id FROM boards WHERE id = @id", "postgresql", "forum", 1, 120),
        }));
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
