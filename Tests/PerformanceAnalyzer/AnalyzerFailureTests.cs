using PerfTools.Shared.Cli;
using PerfTools.Shared.Http;
using PerfTools.Shared.Reports.Analyzer;
using PerfTools.Tests.Http;

namespace PerfTools.Tests.PerformanceAnalyzer;

/// <summary>Misbehaving targets (<see cref="LoopbackServer"/>): each failure is counted by kind, reported, and
/// mapped to its exit code, and the reports of what was measured are still written.</summary>
public class AnalyzerFailureTests
{
    [Test]
    public async Task RunAsync_EndpointAlways500_Exit1AndErrorsByKind()
    {
        await using var server = LoopbackServer.Start(500, """{"error":"internal server error"}""");
        using var run = await AnalyzerRun.StartAsync(AnalyzerRun.Quick(server.BaseUrl.ToString(), "--endpoint", "/boards/12"));

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString());
            Assert.That(server.Requests, Has.Count.EqualTo(3));
            Assert.That(run.Stdout, Does.Contain("Errors by kind:"));
            Assert.That(run.Stdout, Does.Contain("GET /boards/{id}: Http5xx 3 (HTTP 500 Internal Server Error)"));
            Assert.That(run.Stdout, Does.Contain("only errors: GET /boards/{id} (3 of 3 failed)"));
        });
    }

    [Test]
    public async Task RunAsync_BaseUrlClosedPort_OneLineExit1AndReportsWritten()
    {
        string baseUrl = $"http://127.0.0.1:{AnalyzerRun.ClosedPort()}/";
        using var run = await AnalyzerRun.StartAsync(AnalyzerRun.Quick(baseUrl, "--test-all"));

        string? requests = run.Report("performance_requests_");
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString());
            Assert.That(run.StderrLines, Is.EqualTo(new[] { $"unreachable: {baseUrl} (connection refused)" }));
            Assert.That(run.Report("performance_summary_"), Is.Not.Null);
            Assert.That(run.Report("performance_data_"), Is.Not.Null);
            Assert.That(requests, Is.Not.Null);
        });
        var rows = RequestsCsv.ReadFile(requests!);
        Assert.That(rows.Select(r => (r.Label, r.Error)), Is.EqualTo(new[] { ("GET /health", ErrorKind.Refused) }),
            "one probe, then the walk stops instead of hammering a dead host");
    }

    [Test]
    public async Task RunAsync_ServerNeverAnswers_CountedAsTimeout()
    {
        await using var server = LoopbackServer.Start(ctx => ctx.NeverAnswerAsync());
        using var run = await AnalyzerRun.StartAsync(
            AnalyzerRun.Quick(server.BaseUrl.ToString(), "--endpoint", "/hang", "--timeout", "0.5"));

        var summary = SummaryCsv.ReadFile(run.Report("performance_summary_")!);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString());
            Assert.That(summary.Single().ErrorsByKind, Is.EqualTo(new Dictionary<string, long> { ["Timeout"] = 1 }));
            Assert.That(run.Stdout, Does.Contain("GET /hang: Timeout 1"));
            Assert.That(run.Stderr, Does.Contain("(no answer within 0.5 s)"));
        });
    }

    [Test]
    public async Task RunAsync_PostBoardsAnswersNonJson_DependentStepsSkippedWithReason()
    {
        await using var server = LoopbackServer.Start(ctx => (ctx.Request.Method, ctx.Request.Target) switch
        {
            ("GET", "/health") => ctx.RespondAsync(200, """{"status":"ok"}"""),
            ("GET", "/boards") => ctx.RespondAsync(200, """{"data":[],"meta":{"total":0}}"""),
            ("POST", "/boards") => ctx.RespondAsync(201, "board created, have a nice day"),
            ("GET", "/slow") => ctx.RespondAsync(200, """{"status":"ok"}"""),
            _ => ctx.RespondAsync(404, """{"error":"not found"}"""),
        });
        using var run = await AnalyzerRun.StartAsync(AnalyzerRun.Quick(server.BaseUrl.ToString(), "--test-all"));

        const string why = "no board id (POST /boards answered 201 without an id, GET /boards listed none)";
        var summary = SummaryCsv.ReadFile(run.Report("performance_summary_")!);
        Assert.Multiple(() =>
        {
            Assert.That(run.Stdout, Does.Contain($"skipped GET /boards/{{id}}: {why}"));
            Assert.That(run.Stdout, Does.Contain($"skipped GET /boards/{{id}}/posts: {why}"));
            Assert.That(run.Stdout, Does.Contain($"skipped POST /posts: {why}"));
            Assert.That(run.Stdout, Does.Contain("skipped GET /posts/{id}: no post id"));
            Assert.That(run.Stdout, Does.Contain("skipped GET /posts/{id}/comments: no post id"));
            Assert.That(summary.Select(s => s.Label), Is.EqualTo(new[] { "GET /health", "GET /boards", "POST /boards", "GET /slow" }));
            Assert.That(summary.Single(s => s.Label == "POST /boards").ErrorsByKind["Parse"], Is.EqualTo(3));
            Assert.That(server.Requests.Select(r => r.Target), Has.None.Contains("/posts"), "nothing depending on the id is sent");
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), "POST /boards had only errors");
        });
    }

    [Test]
    public async Task RunAsync_P95OverGate_Exit1NamingEndpoint()
    {
        await using var server = LoopbackServer.Start(async ctx =>
        {
            await Task.Delay(60, ctx.Aborted);
            await ctx.RespondAsync(200, "ok");
        });
        using var run = await AnalyzerRun.StartAsync(
            AnalyzerRun.Quick(server.BaseUrl.ToString(), "--endpoint", "/slowish", "--max-p95-ms", "20"));

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString());
            Assert.That(run.Stdout, Does.Match(@"p95 gate failed \(max 20\.00 ms\): GET /slowish p95 \d+\.\d\d ms"));
        });
    }

    [Test]
    public async Task RunAsync_P95UnderGate_Exit0()
    {
        await using var server = LoopbackServer.Start(200, "ok");
        using var run = await AnalyzerRun.StartAsync(
            AnalyzerRun.Quick(server.BaseUrl.ToString(), "--endpoint", "/fast", "--max-p95-ms", "5000"));

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(run.Stdout, Does.Contain("p95 gate passed"));
        });
    }

    [Test]
    public async Task RunAsync_EndpointWithHeaderAndDataFile_SendsThemOnEveryRequest()
    {
        await using var server = LoopbackServer.Start(201, """{"id":1}""");
        string file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """{"name":"from file"}""");
        try
        {
            using var run = await AnalyzerRun.StartAsync(AnalyzerRun.Quick(server.BaseUrl.ToString(),
                "--endpoint", "/boards", "--method", "post", "--data", "@" + file, "--header", "X-Api-Key: k1", "--concurrency", "2"));

            Assert.Multiple(() =>
            {
                Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
                Assert.That(server.Requests, Has.Count.EqualTo(3));
                Assert.That(server.Requests.Select(r => r.Method), Has.All.EqualTo("POST"));
                Assert.That(server.Requests.Select(r => r.Header("X-Api-Key")), Has.All.EqualTo("k1"));
                Assert.That(server.Requests.Select(r => System.Text.Encoding.UTF8.GetString(r.Body)), Has.All.EqualTo("""{"name":"from file"}"""));
                Assert.That(run.Stdout, Does.Contain("POST /boards"));
            });
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task RunAsync_Cancelled_Exit130AndReportsOfWhatWasMeasured()
    {
        await using var server = LoopbackServer.Start(async ctx =>
        {
            await Task.Delay(50, ctx.Aborted);
            await ctx.RespondAsync(200, "ok");
        });
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));
        using var run = await AnalyzerRun.StartAsync(stop.Token,
            AnalyzerRun.Quick(server.BaseUrl.ToString(), "--endpoint", "/x", "--iterations", "1000"));

        var rows = RequestsCsv.ReadFile(run.Report("performance_requests_")!);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Interrupted), run.ToString());
            Assert.That(run.Stderr, Does.Contain("interrupted: stopped sending"));
            Assert.That(rows, Has.Count.InRange(1, 999));
            Assert.That(rows.Select(r => r.Error), Has.All.EqualTo(ErrorKind.None), "the request cut short is not a measurement");
        });
    }
}
