using System.Diagnostics;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports.Detector;
using PerfTools.Tests.BottleneckDetector.App;
using PerfTools.Tests.Http;

namespace PerfTools.Tests.Hardening;

/// <summary>bottleneck_detector with its real Prometheus, Jaeger and database clients against faulty loopback servers:
/// each source's problem is said in one line (console and JSON report), nothing waits past <c>--timeout</c>, and with
/// no source usable the exit code is 3 as the README says.</summary>
public class DetectorFaultTests
{
    private const string Html = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>";

    public static IEnumerable<TestCaseData> SourceFaults()
    {
        yield return Fault("HTML", _ => Answer(Html), _ => Answer(Html),
            "not a Prometheus API response: <!DOCTYPE html>", "got: <!DOCTYPE html>");
        yield return Fault("truncated JSON",
            _ => Answer("""{"status":"success","data":{"version":"2.5"""), _ => Answer("""{"services":["forum-api","jae"""),
            """not a Prometheus API response: {"status":"success",""", """expected {"services":[…]}, got: {"services":["forum-api","jae""");
        yield return Fault("JSON of the wrong shape",
            _ => Answer("""{"data":{"version":"2.53.0"}}"""), _ => Answer("""{"services":"forum-api"}"""),
            "not a Prometheus API response: {\"data\"", """expected {"services":[…]}, got: {"services":"forum-api"}""");
        yield return Fault("10 MB of text", _ => FaultyResponses.LargeBody(FaultyResponses.TenMegabytes), _ => FaultyResponses.LargeBody(FaultyResponses.TenMegabytes),
            "not a Prometheus API response: xxxxxxxx", "got: xxxxxxxx");
        yield return Fault("33 MiB, chunked", _ => Huge(declare: false), _ => Huge(declare: false),
            "answer larger than the 32 MiB limit; not read further", "answer larger than the 32 MiB limit; not read further");
        yield return Fault("33 MiB, announced", _ => Huge(declare: true), _ => Huge(declare: true),
            "answer of 34603008 bytes is larger than the 32 MiB limit; not read", "answer of 34603008 bytes is larger than the 32 MiB limit; not read");
        yield return Fault("trickles 1 byte / 200 ms", _ => FaultyResponses.Trickle(TimeSpan.FromMilliseconds(200)), _ => FaultyResponses.TrickleBody(TimeSpan.FromMilliseconds(200)),
            "buildinfo: no response within 1 s", "timed out after 1 s");
        yield return Fault("never answers", _ => ctx => ctx.NeverAnswerAsync(), _ => ctx => ctx.NeverAnswerAsync(),
            "buildinfo: no response within 1 s", "timed out after 1 s");
        yield return Fault("reset mid-response", _ => FaultyResponses.ResetMidBody, _ => FaultyResponses.ResetMidBody,
            "buildinfo: connection broke while reading the answer", "connection broke while reading the answer");
        yield return Fault("headers over 64 KiB", _ => FaultyResponses.HugeHeaders, _ => FaultyResponses.HugeHeaders,
            "response headers length exceeded the set limit of 65536 bytes", "response headers length exceeded the set limit of 65536 bytes");
        yield return Fault("Content-Length: banana", _ => FaultyResponses.MalformedContentLength, _ => FaultyResponses.MalformedContentLength,
            "malformed Content-Length header 'banana'", "malformed Content-Length header 'banana'");
        yield return Fault("redirect to another origin",
            port => ctx => FaultyResponses.Redirect(ctx, $"http://127.0.0.1:{port}/prometheus"), port => ctx => FaultyResponses.Redirect(ctx, $"http://127.0.0.1:{port}/jaeger"),
            "/prometheus not followed (another origin)", "/jaeger not followed (another origin)");
        yield return Fault("redirect loop",
            _ => ctx => FaultyResponses.Redirect(ctx, ctx.Request.Target + "x", 307), _ => ctx => FaultyResponses.Redirect(ctx, ctx.Request.Target + "x", 307),
            "not followed (more than 5 redirects)", "not followed (more than 5 redirects)");

        static TestCaseData Fault(
            string name, Func<int, Func<LoopbackContext, Task>> prometheus, Func<int, Func<LoopbackContext, Task>> jaeger,
            string prometheusSays, string jaegerSays) =>
            new TestCaseData(prometheus, jaeger, prometheusSays, jaegerSays).SetArgDisplayNames(name);

        static Func<LoopbackContext, Task> Answer(string body) => ctx => ctx.RespondAsync(200, body);

        static Func<LoopbackContext, Task> Huge(bool declare) => FaultyResponses.LargeBody(33L * 1024 * 1024, declareLength: declare);
    }

    [TestCaseSource(nameof(SourceFaults))]
    [Category("Slow")]
    public async Task RunAsync_BothSourcesFaulty_OneLineEachExit3WithinTimeout(
        Func<int, Func<LoopbackContext, Task>> prometheusFault, Func<int, Func<LoopbackContext, Task>> jaegerFault,
        string prometheusSays, string jaegerSays)
    {
        await using var other = LoopbackServer.Start(200, "{}");
        await using var prometheus = LoopbackServer.Start(prometheusFault(other.Port));
        await using var jaeger = LoopbackServer.Start(jaegerFault(other.Port));

        var clock = Stopwatch.StartNew();
        using var run = await DetectorRun.StartAsync(null, null,
            "--prometheus-url", prometheus.BaseUrl.ToString(), "--jaeger-url", jaeger.BaseUrl.ToString(), "--timeout", "1");
        clock.Stop();

        DetectionSummary report = FindingsJson.ReadFile(run.Report("bottleneck_findings_", ".json") ?? throw new AssertionException(run.ToString()));
        string[] lines = run.Stdout.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.SourcesUnreachable), run.ToString());
            Assert.That(lines, Has.One.StartsWith($"Prometheus {prometheus.BaseUrl}: unreachable (").And.Contains(prometheusSays), run.Stdout);
            Assert.That(lines, Has.One.StartsWith($"Jaeger {jaeger.BaseUrl}: unreachable (").And.Contains(jaegerSays), run.Stdout);
            Assert.That(report.Prometheus.Reachable, Is.False);
            Assert.That(report.Prometheus.Message, Does.Contain(prometheusSays));
            Assert.That(report.Jaeger.Reachable, Is.False);
            Assert.That(report.Jaeger.Message, Does.Contain(jaegerSays));
            Assert.That(run.Stderr, Does.Not.Contain("Exception").And.Not.Contains("   at "), "typed errors, no stack trace");
            // Both sources are asked at once, each call bounded by the 1 s timeout and a timeout is not retried.
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(6)), "1 s per source, then the reports");
            Assert.That(other.Requests, Is.Empty, "a redirect never leaves the source's origin");
        });
    }

    [TestCase("refused")]
    [TestCase("dns")]
    public async Task RunAsync_NoSourceAnswers_OneLineEachExit3(string fault)
    {
        string prometheusUrl = fault == "dns" ? FaultyResponses.UnresolvableBaseUrl : $"http://127.0.0.1:{PerformanceAnalyzer.AnalyzerRun.ClosedPort()}/";
        string jaegerUrl = fault == "dns" ? FaultyResponses.UnresolvableBaseUrl : $"http://127.0.0.1:{PerformanceAnalyzer.AnalyzerRun.ClosedPort()}/";

        using var run = await DetectorRun.StartAsync(null, null, "--prometheus-url", prometheusUrl, "--jaeger-url", jaegerUrl, "--timeout", "2");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.SourcesUnreachable), run.ToString());
            Assert.That(run.Stdout, Does.Contain($"Prometheus {prometheusUrl}: unreachable ({prometheusUrl}api/v1/status/buildinfo: no response: "));
            Assert.That(run.Stdout, Does.Contain($"Jaeger {jaegerUrl}: unreachable ({(fault == "dns" ? "host not found (DNS)" : "connection refused")})"));
            Assert.That(run.Stderr, Is.Empty);
        });
    }

    [TestCase("refused")]
    [TestCase("not postgres")]
    [TestCase("never answers")]
    public async Task RunAsync_DatabaseFaultyPrometheusJaegerRefused_OneLineWithItsFixExit3WithinTimeout(string fault)
    {
        await using var http = RawTcpServer.Http();
        await using var silent = new RawTcpServer(answer: null);
        int port = fault switch { "not postgres" => http.Port, "never answers" => silent.Port, _ => PerformanceAnalyzer.AnalyzerRun.ClosedPort() };
        string closed = $"http://127.0.0.1:{PerformanceAnalyzer.AnalyzerRun.ClosedPort()}/";
        string url = $"postgres://forum:pw-4f2a91@127.0.0.1:{port}/forum";

        var clock = Stopwatch.StartNew();
        using var run = await DetectorRun.StartAsync(null, null, "--prometheus-url", closed, "--jaeger-url", closed, "--database-url", url, "--timeout", "1");
        clock.Stop();

        var (says, fix) = fault switch
        {
            "refused" => ($"cannot connect to PostgreSQL at 127.0.0.1:{port} (connection refused: nothing listens there)", "start it, or pass the right HOST:PORT in --database-url"),
            "not postgres" => ($"the server at 127.0.0.1:{port} does not speak the PostgreSQL protocol (", "point --database-url at a PostgreSQL server"),
            _ => ($"PostgreSQL at 127.0.0.1:{port} did not answer within 1 s", "check that a PostgreSQL server listens there, or raise --timeout"),
        };
        DetectionSummary report = FindingsJson.ReadFile(run.Report("bottleneck_findings_", ".json") ?? throw new AssertionException(run.ToString()));
        string[] lines = run.Stdout.Split('\n');
        int at = Array.FindIndex(lines, l => l.StartsWith("Database ", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.SourcesUnreachable), "no source answered: " + run);
            Assert.That(lines[at], Does.StartWith($"Database postgres://***@127.0.0.1:{port}/forum: unreachable ({says}"), run.Stdout);
            Assert.That(lines[at + 1], Is.EqualTo("  " + fix));
            Assert.That(run.Section("Database usage"), Does.Contain("not checked (Prometheus unreachable; Jaeger unreachable; database unreachable)"));
            Assert.That(report.Database!.State, Is.EqualTo(SourceState.Unreachable));
            Assert.That(report.Database.Message, Does.StartWith(says));
            Assert.That(run.Stdout + run.Stderr, Does.Not.Contain("pw-4f2a91").And.Not.Contain("Exception").And.Not.Contain("   at "));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(8)), "1 s for the database, as for the others");
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task RunAsync_SelfSignedSources_RefusedUnlessInsecure(bool insecure)
    {
        await using var prometheus = LoopbackServer.StartTls(TestCertificate.SelfSigned, ctx => ctx.Request.Target.StartsWith("/api/v1/status/buildinfo", StringComparison.Ordinal)
            ? ctx.RespondAsync(200, """{"status":"success","data":{"version":"2.53.0","revision":"r","goVersion":"go1.22"}}""")
            : ctx.RespondAsync(200, """{"status":"success","data":[]}"""));
        await using var jaeger = LoopbackServer.StartTls(TestCertificate.SelfSigned, ctx => ctx.RespondAsync(200, """{"services":[]}"""));
        string[] args = ["--prometheus-url", prometheus.BaseUrl.ToString(), "--jaeger-url", jaeger.BaseUrl.ToString(), "--timeout", "2"];

        using var run = await DetectorRun.StartAsync(null, null, insecure ? [.. args, "--insecure"] : args);

        const string rejected = "TLS certificate of 127.0.0.1 rejected (RemoteCertificateChainErrors: UntrustedRoot); use --insecure if you trust the server";
        Assert.Multiple(() =>
        {
            if (insecure)
            {
                Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
                Assert.That(run.Stdout, Does.Contain($"Prometheus {prometheus.BaseUrl}: reachable, version 2.53.0"));
                Assert.That(run.Stdout, Does.Contain($"Jaeger {jaeger.BaseUrl}: reachable, API v3"));
            }
            else
            {
                Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.SourcesUnreachable), run.ToString());
                Assert.That(run.Stdout, Does.Contain($"Prometheus {prometheus.BaseUrl}: unreachable ({prometheus.BaseUrl}api/v1/status/buildinfo: no response: {rejected})"));
                Assert.That(run.Stdout, Does.Contain($"Jaeger {jaeger.BaseUrl}: unreachable ({rejected})"));
                Assert.That(prometheus.Requests, Is.Empty);
                Assert.That(jaeger.Requests, Is.Empty);
            }
        });
    }
}
