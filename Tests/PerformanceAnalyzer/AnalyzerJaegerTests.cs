using System.Text.RegularExpressions;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports.Analyzer;
using PerfTools.Tests.Http;
using PerfTools.Tests.Tracing;

namespace PerfTools.Tests.PerformanceAnalyzer;

/// <summary>Slow requests explained from a fake Jaeger that serves only the v1 API (v3 answers a Go mux 404).</summary>
public class AnalyzerJaegerTests
{
    private const string FixtureTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    [Test]
    public async Task RunAsync_JaegerHasTheTraces_PrintsBreakdownPerSlowRequest()
    {
        string fixture = TracingTestData.Read("v1_nplus1_trace.json");
        await using var jaeger = LoopbackServer.Start(ctx =>
        {
            string target = ctx.Request.Target;
            if (target.StartsWith("/api/traces/", StringComparison.Ordinal))
            {
                string id = target["/api/traces/".Length..];
                return ctx.RespondAsync(200, fixture.Replace(FixtureTraceId, id, StringComparison.Ordinal), ("Content-Type", "application/json"));
            }

            return ctx.RespondAsync(404, "404 page not found", ("Content-Type", "text/plain"));
        });
        await using var api = LoopbackServer.Start(200, """{"status":"ok"}""");
        using var run = await RunAgainst(api, jaeger);

        var traceIds = RequestsCsv.ReadFile(run.Report("performance_requests_")!).Select(r => r.TraceId!).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(run.Stdout, Does.Contain("Slowest requests, explained from their traces (Jaeger v1 API)"));
            foreach (string id in traceIds)
            {
                Assert.That(run.Stdout, Does.Contain($"  trace {id} (GET /boards/{{id}}/posts, "), "one breakdown per slow request");
            }

            Assert.That(Regex.Matches(run.Stdout, "  db: "), Has.Count.EqualTo(3));
            Assert.That(jaeger.Requests.Count(r => r.Target.StartsWith("/api/v3/", StringComparison.Ordinal)), Is.EqualTo(1),
                "v3 is asked once, then the client remembers v1");
        });
    }

    [Test]
    public async Task RunAsync_JaegerLacksTheTraces_OneNotFoundLinePerTrace()
    {
        string notFound = TracingTestData.Read("v1_error_404.json");
        await using var jaeger = LoopbackServer.Start(ctx => ctx.Request.Target.StartsWith("/api/traces/", StringComparison.Ordinal)
            ? ctx.RespondAsync(404, notFound, ("Content-Type", "application/json"))
            : ctx.RespondAsync(404, "404 page not found", ("Content-Type", "text/plain")));
        await using var api = LoopbackServer.Start(200, "ok");
        using var run = await RunAgainst(api, jaeger);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(Regex.Matches(run.Stdout, @"GET /slow \d+\.\d\d ms: trace [0-9a-f]{32} not found in Jaeger \(v1 API\)"), Has.Count.EqualTo(3));
            Assert.That(run.Stdout, Does.Not.Contain("  db: "));
        });
    }

    private static Task<AnalyzerRun> RunAgainst(LoopbackServer api, LoopbackServer jaeger) =>
        AnalyzerRun.StartAsync(
            "--base-url", api.BaseUrl.ToString(), "--jaeger-url", jaeger.BaseUrl.ToString(),
            "--endpoint", "/slow", "--iterations", "3", "--delay-ms", "0", "--warmup", "0");
}
