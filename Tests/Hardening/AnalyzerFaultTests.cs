using System.Diagnostics;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Http;
using PerfTools.Shared.Reports.Analyzer;
using PerfTools.Tests.Http;
using PerfTools.Tests.PerformanceAnalyzer;

namespace PerfTools.Tests.Hardening;

/// <summary>performance_analyzer against faulty targets and a faulty Jaeger: every fault is counted by kind in the
/// console's "Errors by kind", the summary CSV and the requests CSV, and no run outlasts its timeouts.</summary>
public class AnalyzerFaultTests
{
    private const string Html = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>";

    public static IEnumerable<TestCaseData> TargetFaults()
    {
        yield return Fault("reset mid-response", _ => FaultyResponses.ResetMidBody, ErrorKind.Reset, 3);
        yield return Fault("headers over 64 KiB", _ => FaultyResponses.HugeHeaders, ErrorKind.Protocol, 3);
        yield return Fault("header line without a colon", _ => FaultyResponses.MalformedHeader, ErrorKind.Protocol, 3);
        yield return Fault("Content-Length: banana", _ => FaultyResponses.MalformedContentLength, ErrorKind.Protocol, 3);
        yield return Fault("redirect loop", _ => ctx => FaultyResponses.Redirect(ctx, ctx.Request.Target + "/"), ErrorKind.Redirect, 3);
        yield return Fault("redirect to another origin", port => ctx => FaultyResponses.Redirect(ctx, $"http://127.0.0.1:{port}/"), ErrorKind.Redirect, 3);
        // A timeout on the very first request means "no server": the run stops after it.
        yield return Fault("trickles 1 byte / 200 ms", _ => FaultyResponses.Trickle(TimeSpan.FromMilliseconds(200)), ErrorKind.Timeout, 1);

        static TestCaseData Fault(string name, Func<int, Func<LoopbackContext, Task>> handler, ErrorKind kind, int count) =>
            new TestCaseData(handler, kind, count).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(TargetFaults))]
    public async Task RunAsync_FaultyTarget_CountedByKindEverywhere(Func<int, Func<LoopbackContext, Task>> handler, ErrorKind kind, int count)
    {
        await using var other = LoopbackServer.Start(200, "another origin");
        await using var server = LoopbackServer.Start(handler(other.Port));

        var clock = Stopwatch.StartNew();
        using var run = await AnalyzerRun.StartAsync(AnalyzerRun.Quick(server.BaseUrl.ToString(),
            "--endpoint", "/x", "--timeout", "1", "--header", "Authorization: Bearer s3cret"));
        clock.Stop();

        var summary = SummaryCsv.ReadFile(run.Report("performance_summary_") ?? throw new AssertionException(run.ToString())).Single();
        var rows = RequestsCsv.ReadFile(run.Report("performance_requests_")!);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString());
            Assert.That(summary.ErrorsByKind, Is.EqualTo(new Dictionary<string, long> { [kind.ToString()] = count }));
            Assert.That(rows.Select(r => r.Error), Is.EqualTo(Enumerable.Repeat(kind, count)));
            Assert.That(run.Stdout, Does.Contain($"  GET /x: {kind} {count} ("), "errors by kind, with the first message");
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(count + 4)), "1 s timeout per request, plus reports");
            Assert.That(other.Requests, Is.Empty, "nothing, Authorization least of all, went to another origin");
        });
    }

    [Test]
    public async Task RunAsync_HostDoesNotResolve_OneLineDnsInReports()
    {
        using var run = await AnalyzerRun.StartAsync(AnalyzerRun.Quick(FaultyResponses.UnresolvableBaseUrl, "--test-all"));

        var rows = RequestsCsv.ReadFile(run.Report("performance_requests_") ?? throw new AssertionException(run.ToString()));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString());
            Assert.That(run.StderrLines, Is.EqualTo(new[] { $"unreachable: {FaultyResponses.UnresolvableBaseUrl} (host not found)" }));
            Assert.That(rows.Select(r => r.Error), Is.EqualTo(new[] { ErrorKind.Dns }));
            Assert.That(run.Stdout, Does.Contain("GET /health: Dns 1"));
        });
    }

    [Test]
    public async Task RunAsync_TenMegabyteAnswers_MeasuredWithEveryByteCounted()
    {
        await using var server = LoopbackServer.Start(FaultyResponses.LargeBody(FaultyResponses.TenMegabytes));
        using var run = await AnalyzerRun.StartAsync(AnalyzerRun.Quick(server.BaseUrl.ToString(), "--endpoint", "/big"));

        var rows = RequestsCsv.ReadFile(run.Report("performance_requests_") ?? throw new AssertionException(run.ToString()));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(rows.Select(r => r.Bytes), Is.EqualTo(Enumerable.Repeat((long)FaultyResponses.TenMegabytes, 3)));
        });
    }

    [Test]
    public async Task RunAsync_SameOriginRedirect_FollowedAndMeasuredAsOneRequest()
    {
        await using var server = LoopbackServer.Start(ctx => ctx.Request.Target == "/old"
            ? FaultyResponses.Redirect(ctx, "/new", 308)
            : ctx.RespondAsync(200, "moved here"));
        using var run = await AnalyzerRun.StartAsync(AnalyzerRun.Quick(server.BaseUrl.ToString(), "--endpoint", "/old"));

        var rows = RequestsCsv.ReadFile(run.Report("performance_requests_") ?? throw new AssertionException(run.ToString()));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(server.Requests.Select(r => r.Target), Is.EqualTo(new[] { "/old", "/new", "/old", "/new", "/old", "/new" }));
            Assert.That(rows.Select(r => (r.Label, r.StatusCode, r.Bytes)), Has.All.EqualTo(("GET /old", 200, 10L)));
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task RunAsync_SelfSignedTarget_RefusedUnlessInsecure(bool insecure)
    {
        await using var server = LoopbackServer.StartTls(TestCertificate.SelfSigned, ctx => ctx.RespondAsync(200, "tls ok"));
        string[] args = AnalyzerRun.Quick(server.BaseUrl.ToString(), "--endpoint", "/secure");
        using var run = await AnalyzerRun.StartAsync(insecure ? [.. args, "--insecure"] : args);

        var summary = SummaryCsv.ReadFile(run.Report("performance_summary_") ?? throw new AssertionException(run.ToString())).Single();
        Assert.Multiple(() =>
        {
            if (insecure)
            {
                Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
                Assert.That(summary.Errors, Is.Zero);
                Assert.That(server.Requests, Has.Count.EqualTo(3));
            }
            else
            {
                Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString());
                Assert.That(summary.ErrorsByKind, Is.EqualTo(new Dictionary<string, long> { ["Protocol"] = 3 }));
                Assert.That(run.Stdout, Does.Contain("GET /secure: Protocol 3 (TLS certificate of 127.0.0.1 rejected ("));
                Assert.That(run.Stdout, Does.Contain("use --insecure if you trust the server)"));
                Assert.That(server.Requests, Is.Empty);
            }
        });
    }

    public static IEnumerable<TestCaseData> BadJson()
    {
        yield return new TestCaseData(Html, "not JSON").SetArgDisplayNames("HTML");
        yield return new TestCaseData("""{"data":[{"id":1,"name":"cut he""", "truncated or malformed JSON").SetArgDisplayNames("truncated JSON");
        yield return new TestCaseData("""{"items":[{"id":1}]}""", "JSON without").SetArgDisplayNames("wrong shape");
        yield return new TestCaseData("""[{"id":1}] trailing""", "malformed JSON").SetArgDisplayNames("trailing garbage");
    }

    [TestCaseSource(nameof(BadJson))]
    public async Task RunAsync_WalkGetsBadJsonWhereIdsAreRead_ParseErrorsAndDependentsSkipped(string body, string problem)
    {
        await using var server = LoopbackServer.Start(ctx => (ctx.Request.Method, ctx.Request.Target) switch
        {
            ("GET", "/health" or "/slow") => ctx.RespondAsync(200, Html), // nobody reads these bodies
            ("GET", "/boards") => ctx.RespondAsync(200, body),
            ("POST", "/boards") => ctx.RespondAsync(201, body),
            _ => ctx.RespondAsync(404, """{"error":"not found"}"""),
        });
        using var run = await AnalyzerRun.StartAsync(AnalyzerRun.Quick(server.BaseUrl.ToString(), "--test-all"));

        var summary = SummaryCsv.ReadFile(run.Report("performance_summary_") ?? throw new AssertionException(run.ToString()))
            .ToDictionary(s => s.Label);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString());
            Assert.That(summary["GET /boards"].ErrorsByKind, Is.EqualTo(new Dictionary<string, long> { ["Parse"] = 3 }));
            Assert.That(summary["POST /boards"].ErrorsByKind, Is.EqualTo(new Dictionary<string, long> { ["Parse"] = 3 }));
            Assert.That(summary["GET /health"].Errors, Is.Zero, "a body nobody reads is not checked");
            Assert.That(run.Stdout, Does.Contain($"  GET /boards: Parse 3 (HTTP 200, {problem}"));
            Assert.That(run.Stdout, Does.Contain($"  POST /boards: Parse 3 (HTTP 201, {problem}"));
            Assert.That(run.Stdout, Does.Contain(
                "skipped GET /boards/{id}: no board id (POST /boards answered 201 without an id, GET /boards answered 200 without a list)"));
            Assert.That(server.Requests.Select(r => r.Target), Has.None.Contains("/posts"));
        });
    }

    [Test]
    public async Task RunAsync_WalkListIsTenMegabytes_IdReadFromTheKeptStart()
    {
        await using var server = LoopbackServer.Start(ctx => (ctx.Request.Method, ctx.Request.Target) switch
        {
            ("GET", "/boards") => FaultyResponses.LargeBody(FaultyResponses.TenMegabytes,
                prefix: """{"data":[{"id":41,"name":"big","description":" """, suffix: "\"}]}", contentType: "application/json")(ctx),
            ("POST", _) => ctx.RespondAsync(503, "busy"),
            _ => ctx.RespondAsync(200, """{"data":[]}"""),
        });
        using var run = await AnalyzerRun.StartAsync(AnalyzerRun.Quick(server.BaseUrl.ToString(), "--test-all", "--iterations", "1"));

        var summary = SummaryCsv.ReadFile(run.Report("performance_summary_") ?? throw new AssertionException(run.ToString()))
            .ToDictionary(s => s.Label);
        Assert.Multiple(() =>
        {
            Assert.That(summary["GET /boards"].Errors, Is.Zero, run.ToString());
            Assert.That(server.Requests.Select(r => r.Target), Does.Contain("/boards/41/posts"));
        });
    }

    [TestCase("trickle")]
    [TestCase("never answers")]
    [TestCase("redirect to another origin")]
    [TestCase("over 32 MiB")]
    [Category("Slow")]
    public async Task RunAsync_FaultyJaeger_ReportsItAndFinishesInTime(string fault)
    {
        await using var target = LoopbackServer.Start(200, "ok");
        await using var other = LoopbackServer.Start(200, "{}");
        await using var jaeger = LoopbackServer.Start(fault switch
        {
            "trickle" => FaultyResponses.Trickle(TimeSpan.FromMilliseconds(200)),
            "never answers" => ctx => ctx.NeverAnswerAsync(),
            "redirect to another origin" => ctx => FaultyResponses.Redirect(ctx, $"http://127.0.0.1:{other.Port}/api/traces"),
            _ => FaultyResponses.LargeBody(33L * 1024 * 1024, declareLength: false),
        });

        var clock = Stopwatch.StartNew();
        using var run = await AnalyzerRun.StartAsync(
            "--base-url", target.BaseUrl.ToString(), "--endpoint", "/x", "--iterations", "2", "--warmup", "0", "--delay-ms", "0",
            "--timeout", "1", "--jaeger-url", jaeger.BaseUrl.ToString());
        clock.Stop();

        string expected = fault switch
        {
            "trickle" or "never answers" => "unreachable (timed out after 1 s): slow requests not explained",
            "redirect to another origin" => $"redirect to http://127.0.0.1:{other.Port}/api/traces not followed (another origin)",
            _ => "answer larger than the 32 MiB limit; not read further",
        };
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(run.Stdout, Does.Contain(expected));
            Assert.That(other.Requests, Is.Empty);
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(fault == "over 32 MiB" ? 8 : 5)), "Jaeger waits at most --timeout");
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task RunAsync_SelfSignedJaeger_RefusedUnlessInsecure(bool insecure)
    {
        await using var target = LoopbackServer.Start(200, "ok");
        await using var jaeger = LoopbackServer.StartTls(TestCertificate.SelfSigned, ctx => ctx.RespondAsync(404, """{"error":"no trace"}"""));
        string[] args = ["--base-url", target.BaseUrl.ToString(), "--endpoint", "/x", "--iterations", "1", "--warmup", "0",
            "--jaeger-url", jaeger.BaseUrl.ToString()];

        using var run = await AnalyzerRun.StartAsync(insecure ? [.. args, "--insecure"] : args);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            if (insecure)
            {
                Assert.That(jaeger.Requests, Is.Not.Empty, "the trace was asked for");
                Assert.That(run.Stdout, Does.Not.Contain("TLS certificate"));
            }
            else
            {
                Assert.That(run.Stdout, Does.Contain($"Jaeger at {jaeger.BaseUrl} unreachable (TLS certificate of 127.0.0.1 rejected ("));
                Assert.That(run.Stdout, Does.Contain("use --insecure if you trust the server): slow requests not explained"));
                Assert.That(jaeger.Requests, Is.Empty);
            }
        });
    }
}
