using System.Globalization;
using System.Text;
using PerfTools.BottleneckDetector;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Http;
using PerfTools.Shared.Reports.Analyzer;
using PerfTools.Shared.Reports.Detector;
using PerfTools.Shared.Reports.Simulation;
using PerfTools.Tests.BottleneckSimulator;
using PerfTools.Tests.Http;
using PerfTools.Tests.PerformanceAnalyzer;

namespace PerfTools.Tests.Hardening;

/// <summary>Secrets given to the three tools (credential headers, <c>PROMETHEUS_TOKEN</c> / <c>JAEGER_TOKEN</c>, a URL's
/// user:password) are sent to the servers but never printed or written: each tool runs in-process against real
/// loopback servers that echo the credentials back in status lines and bodies, and its stdout, stderr and every
/// report byte are searched.</summary>
[NonParallelizable] // sets PROMETHEUS_TOKEN and JAEGER_TOKEN, which are the process's
public sealed class SecretsTests
{
    private const string HeaderToken = "hdr-SECRET-6b1f0c93";
    private const string ApiKey = "apikey-SECRET-77d2e5";
    private const string CookieValue = "session=cookie-SECRET-a1b2c3";
    private const string AuthToken = "xauth-SECRET-0f9e8d";
    private const string Password = "pw-SECRET-93c1aa";
    private const string JaegerPassword = "jpw-SECRET-11aa42";
    private const string JaegerToken = "jaeger-TOKEN-5e8a31";
    private const string PrometheusToken = "prom-TOKEN-c4d7e9";
    private const string PrometheusPassword = "ppw-SECRET-2b3c4d";
    private const string DatabasePassword = "dbpw-SECRET-7c1e0a";
    private const string PgPassword = "pgpass-SECRET-31f9b2";

    /// <summary>What the server gets for alice:<see cref="Password"/>: curl's <c>-u alice:…</c>.</summary>
    private static readonly string AliceBasic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"alice:{Password}"));

    private static readonly string[] AllSecrets =
    [
        HeaderToken, ApiKey, CookieValue, "cookie-SECRET-a1b2c3", AuthToken, Password, JaegerPassword, JaegerToken,
        PrometheusToken, PrometheusPassword, AliceBasic[6..], DatabasePassword, PgPassword,
    ];

    [Test]
    public async Task Analyzer_UserInfoHeadersAndJaegerToken_SentButMaskedEverywhere()
    {
        await using var target = EchoingServer(everyOther: 401);
        await using var jaeger = LoopbackServer.Start(ctx => ctx.RespondAsync(
            500, $"{{\"error\":{{\"code\":500,\"message\":\"bad credentials: {ctx.Request.Header("Authorization")}\"}}}}"));
        using var env = new EnvironmentScope(("JAEGER_TOKEN", JaegerToken));
        using var run = await AnalyzerRun.StartAsync(
            "--base-url", $"http://alice:{Password}@127.0.0.1:{target.Port}/", "--endpoint", "/items", "--iterations", "4",
            "--warmup", "0", "--delay-ms", "0", "--header", $"X-Api-Key: {ApiKey}", "--header", $"Cookie: {CookieValue}",
            "--jaeger-url", $"http://jaeger:{JaegerPassword}@127.0.0.1:{jaeger.Port}/");

        var scan = OutputScan.Of(run.Stdout, run.Stderr, run.OutputFolder);
        var requests = RequestsCsv.ReadFile(run.Report("performance_requests_")!);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            AssertNowhere(scan);
            Assert.That(target.Requests, Has.Count.EqualTo(4));
            Assert.That(target.Requests.Select(r => r.Header("Authorization")), Has.All.EqualTo(AliceBasic), "user info sent as Basic");
            Assert.That(target.Requests.Select(r => r.Header("X-Api-Key")), Has.All.EqualTo(ApiKey));
            Assert.That(target.Requests.Select(r => r.Header("Cookie")), Has.All.EqualTo(CookieValue));
            Assert.That(jaeger.Requests, Is.Not.Empty);
            Assert.That(jaeger.Requests.Select(r => r.Header("Authorization")), Has.All.EqualTo($"Bearer {JaegerToken}"), "the token wins over user info");
            Assert.That(run.Stdout, Does.Contain("HTTP 401 denied *** *** ***"), "the echo in the status line, masked");
            Assert.That(run.Stdout, Does.Contain($"Jaeger http://***@127.0.0.1:{jaeger.Port}"), "Jaeger's message, its URL masked");
            Assert.That(requests.Select(r => r.Url), Has.All.EqualTo($"http://***@127.0.0.1:{target.Port}/items"));
            Assert.That(requests.Where(r => r.StatusCode == 401).Select(r => r.ErrorMessage), Has.All.EqualTo("HTTP 401 denied *** *** ***"));
        });
    }

    [Test]
    public async Task Analyzer_AuthorizationHeaderServer500JaegerRefused_SentButMasked()
    {
        await using var target = EchoingServer(everyOther: 500, always: true);
        int jaegerPort = AnalyzerRun.ClosedPort();
        using var env = new EnvironmentScope(("JAEGER_TOKEN", null));
        using var run = await AnalyzerRun.StartAsync(
            "--base-url", target.BaseUrl.ToString(), "--endpoint", "/items", "--iterations", "3", "--warmup", "0",
            "--delay-ms", "0", "--header", $"Authorization: Bearer {HeaderToken}",
            "--jaeger-url", $"http://jaeger:{JaegerPassword}@127.0.0.1:{jaegerPort}/");

        var scan = OutputScan.Of(run.Stdout, run.Stderr, run.OutputFolder);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString());
            AssertNowhere(scan);
            Assert.That(target.Requests.Select(r => r.Header("Authorization")), Has.All.EqualTo($"Bearer {HeaderToken}"));
            Assert.That(run.Stdout, Does.Contain("Http5xx 3 (HTTP 500 denied ***)"));
            Assert.That(run.Stdout, Does.Contain($"Jaeger at http://***@127.0.0.1:{jaegerPort}/ unreachable (connection refused)"));
        });
    }

    [Test]
    public async Task Analyzer_UserInfoTargetRefused_UnreachableLineMasked()
    {
        int port = AnalyzerRun.ClosedPort();
        using var run = await AnalyzerRun.StartAsync(AnalyzerRun.Quick($"http://alice:{Password}@127.0.0.1:{port}/", "--endpoint", "/items"));

        var scan = OutputScan.Of(run.Stdout, run.Stderr, run.OutputFolder);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString());
            AssertNowhere(scan);
            Assert.That(run.StderrLines, Does.Contain($"unreachable: http://***@127.0.0.1:{port}/ (connection refused)"));
            Assert.That(scan.Text("performance_requests_"), Does.Contain($"http://***@127.0.0.1:{port}/items"));
        });
    }

    [Test]
    public async Task Simulator_UserInfoAndTokenHeader_SentButMaskedInConsoleAndReports()
    {
        await using var target = EchoingServer(everyOther: 500);
        using var run = await SimulatorRun.StartAsync(
            "--base-url", $"http://alice:{Password}@127.0.0.1:{target.Port}/", "--scenario", "load", "--duration", "1",
            "--rps", "10", "--endpoint", "/items", "--header", $"X-Auth-Token: {AuthToken}");

        var scan = OutputScan.Of(run.Stdout, run.Stderr, run.OutputFolder);
        var stats = SimulationJson.ReadFile(run.Report("load", "json")!);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            AssertNowhere(scan);
            Assert.That(target.Requests, Is.Not.Empty);
            Assert.That(target.Requests.Select(r => r.Header("Authorization")), Has.All.EqualTo(AliceBasic));
            Assert.That(target.Requests.Select(r => r.Header("X-Auth-Token")), Has.All.EqualTo(AuthToken));
            Assert.That(run.Stdout, Does.Contain($"against http://***@127.0.0.1:{target.Port}/"), "the config line");
            Assert.That(stats.BaseUrl, Is.EqualTo($"http://***@127.0.0.1:{target.Port}/"));
        });
    }

    [Test]
    public async Task Simulator_SetupAnswers401WithTheCredentials_SkipLineMasked()
    {
        await using var target = EchoingServer(everyOther: 401, always: true);
        using var run = await SimulatorRun.StartAsync(
            "--base-url", target.BaseUrl.ToString(), "--scenario", "n_plus_1", "--duration", "1",
            "--header", $"Authorization: Bearer {HeaderToken}", "--header", $"X-Api-Key: {ApiKey}");

        var scan = OutputScan.Of(run.Stdout, run.Stderr, run.OutputFolder);
        Assert.Multiple(() =>
        {
            AssertNowhere(scan);
            Assert.That(target.Requests.Select(r => r.Header("Authorization")), Has.All.EqualTo($"Bearer {HeaderToken}"));
            Assert.That(run.Stdout, Does.Contain("n_plus_1: skipped: setup POST /boards failed: HTTP 401 denied *** ***"), run.ToString());
        });
    }

    [Test]
    public async Task Simulator_UserInfoTargetRefused_UnreachableLineMasked()
    {
        int port = AnalyzerRun.ClosedPort();
        using var run = await SimulatorRun.StartAsync(
            "--base-url", $"http://alice:{Password}@127.0.0.1:{port}/", "--scenario", "load", "--duration", "1", "--rps", "5");

        var scan = OutputScan.Of(run.Stdout, run.Stderr, run.OutputFolder);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString());
            AssertNowhere(scan);
            Assert.That(run.StderrLines, Does.Contain($"unreachable: http://***@127.0.0.1:{port}/ (connection refused)"));
        });
    }

    [Test]
    public async Task Detector_TokensPrometheus401JaegerRefused_SentButMasked()
    {
        await using var prometheus = LoopbackServer.Start(ctx => ctx.RespondAsync(
            401, $"<html>no entry for Authorization: {ctx.Request.Header("Authorization")}</html>"));
        int jaegerPort = AnalyzerRun.ClosedPort();
        using var env = new EnvironmentScope(("PROMETHEUS_TOKEN", PrometheusToken), ("JAEGER_TOKEN", JaegerToken));
        using var run = await DetectorRunAsync(
            "--prometheus-url", $"http://prom:{PrometheusPassword}@127.0.0.1:{prometheus.Port}/",
            "--jaeger-url", $"http://jaeger:{JaegerPassword}@127.0.0.1:{jaegerPort}/");

        var scan = OutputScan.Of(run.Stdout, run.Stderr, run.OutputFolder);
        var findings = FindingsJson.ReadFile(Directory.GetFiles(run.OutputFolder, "bottleneck_findings_*.json").Single());
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.SourcesUnreachable), run.ToString());
            AssertNowhere(scan);
            Assert.That(prometheus.Requests, Is.Not.Empty);
            Assert.That(prometheus.Requests.Select(r => r.Header("Authorization")), Has.All.EqualTo($"Bearer {PrometheusToken}"));
            Assert.That(run.Stdout, Does.Contain($"Prometheus http://***@127.0.0.1:{prometheus.Port}/: unreachable"));
            Assert.That(run.Stdout, Does.Contain("no entry for Authorization: ***"), "the echoed token, masked");
            Assert.That(run.Stdout, Does.Contain($"Jaeger http://***@127.0.0.1:{jaegerPort}/: unreachable"));
            Assert.That(findings.Prometheus.Url, Is.EqualTo($"http://***@127.0.0.1:{prometheus.Port}/"));
            Assert.That(findings.Jaeger.Url, Is.EqualTo($"http://***@127.0.0.1:{jaegerPort}/"));
        });
    }

    [Test]
    public async Task Detector_UserInfoWithoutToken_SentAsBasicAndMasked()
    {
        string promBasic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"prom:{PrometheusPassword}"));
        await using var prometheus = LoopbackServer.Start(ctx => ctx.RespondAsync(200, PrometheusAnswer(ctx.Request.Target)));
        await using var jaeger = LoopbackServer.Start(ctx => ctx.RespondAsync(
            500, $"{{\"error\":{{\"code\":500,\"message\":\"rejected {ctx.Request.Header("Authorization")}\"}}}}"));
        using var env = new EnvironmentScope(("PROMETHEUS_TOKEN", null), ("JAEGER_TOKEN", JaegerToken));
        using var run = await DetectorRunAsync(
            "--prometheus-url", $"http://prom:{PrometheusPassword}@127.0.0.1:{prometheus.Port}/",
            "--jaeger-url", $"http://127.0.0.1:{jaeger.Port}/");

        var scan = OutputScan.Of(run.Stdout, run.Stderr, run.OutputFolder);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            AssertNowhere(scan);
            Assert.That(scan.WhereIs(promBasic[6..]), Is.Empty);
            Assert.That(prometheus.Requests.Select(r => r.Header("Authorization")), Has.All.EqualTo(promBasic));
            Assert.That(jaeger.Requests.Select(r => r.Header("Authorization")), Has.All.EqualTo($"Bearer {JaegerToken}"));
            Assert.That(run.Stdout, Does.Contain($"Prometheus http://***@127.0.0.1:{prometheus.Port}/: reachable"));
            Assert.That(run.Stdout, Does.Contain("rejected Bearer ***"), "Jaeger's echo of the token, masked");
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Detector_DatabasePasswordServerNotPostgres_NeverPrintedOrWritten(bool fromEnvironment)
    {
        // The "database" is an HTTP server: it echoes what it got (Npgsql's startup packet names user and database,
        // never the password) and the run says it does not speak PostgreSQL. The password is in the URL, or in PGPASSWORD.
        await using var notPostgres = RawTcpServer.Http();
        await using var prometheus = LoopbackServer.Start(ctx => ctx.RespondAsync(200, PrometheusAnswer(ctx.Request.Target)));
        using var env = new EnvironmentScope(("PGPASSWORD", fromEnvironment ? PgPassword : null));
        // A user of 3 letters: the masking takes a URL's user info of 4 or more for a secret too, which would hide "forum".
        string url = fromEnvironment
            ? $"postgres://app@127.0.0.1:{notPostgres.Port}/forum"
            : $"postgres://app:{DatabasePassword}@127.0.0.1:{notPostgres.Port}/forum";
        using var run = await DetectorRunAsync(
            "--prometheus-url", prometheus.BaseUrl.ToString(), "--jaeger-url", $"http://127.0.0.1:{AnalyzerRun.ClosedPort()}/", "--database-url", url);

        var scan = OutputScan.Of(run.Stdout, run.Stderr, run.OutputFolder);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            AssertNowhere(scan);
            Assert.That(run.Stdout, Does.Contain($"Database postgres://***@127.0.0.1:{notPostgres.Port}/forum: unreachable (the server at 127.0.0.1:{notPostgres.Port} does not speak the PostgreSQL protocol"));
            Assert.That(Encoding.UTF8.GetString(scan.Files.Single(f => f.Key.EndsWith(".json", StringComparison.Ordinal)).Value),
                Does.Contain($"postgres://***@127.0.0.1:{notPostgres.Port}/forum"));
        });
    }

    [TestCase("analyzer", "--base-url", "ftp://alice:" + Password + "@127.0.0.1/", "ftp://***@127.0.0.1/")]
    [TestCase("analyzer", "--header", "Authorization: Bearer " + HeaderToken + "\nX", "--header 'Authorization: ***")]
    [TestCase("simulator", "--header", "X-Api-Key: " + ApiKey + "\r\nX-Other: y", "--header 'X-Api-Key: ***")]
    [TestCase("simulator", "--base-url", "gopher://alice:" + Password + "@127.0.0.1/", "gopher://***@127.0.0.1/")]
    [TestCase("detector", "--prometheus-url", "ftp://prom:" + PrometheusPassword + "@127.0.0.1/", "ftp://***@127.0.0.1/")]
    [TestCase("detector", "--database-url", "postgres://forum:" + DatabasePassword + "@127.0.0.1:abc/forum", "postgres://***@127.0.0.1:abc/forum")]
    [TestCase("detector", "--database-url", "postgresql://forum:" + DatabasePassword + "@127.0.0.1/forum?sslmode=sometimes", "postgresql://***@127.0.0.1/forum")]
    public async Task RunAsync_UsageErrorEchoingASecret_OneMaskedLineExit2(string tool, string option, string value, string shown)
    {
        (int code, string stdout, string stderr) = tool switch
        {
            "analyzer" => await InProcess((o, e) => PerfTools.PerformanceAnalyzer.AnalyzerApp.RunAsync(
                ["--endpoint", "/items", option, value], o, e, CancellationToken.None)),
            "simulator" => await InProcess((o, e) => PerfTools.BottleneckSimulator.SimulatorApp.RunAsync(
                [option, value], o, e, CancellationToken.None)),
            _ => await InProcess((o, e) => DetectorApp.RunAsync([option, value], o, e, CancellationToken.None)),
        };

        var scan = OutputScan.Of(stdout, stderr, "/nonexistent-folder");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Usage), stderr);
            AssertNowhere(scan);
            Assert.That(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), stderr);
            Assert.That(stderr, Does.Contain(shown));
        });
    }

    [Test]
    public void WithBasicAuthorization_UserInfo_AddedUnlessAuthorizationGiven()
    {
        var url = new Uri("http://us%40er:p%3Ass@h.example/");
        string expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("us@er:p:ss"));
        KeyValuePair<string, string>[] explicitAuth = [new("authorization", "Bearer x")];

        Assert.Multiple(() =>
        {
            Assert.That(UrlCredentials.WithBasicAuthorization(url, []), Is.EqualTo(new[] { KeyValuePair.Create("Authorization", expected) }));
            Assert.That(UrlCredentials.WithBasicAuthorization(url, explicitAuth), Is.SameAs(explicitAuth), "an explicit header wins, as in curl");
            Assert.That(UrlCredentials.WithBasicAuthorization(new Uri("http://h.example/"), []), Is.Empty);
            Assert.That(UrlCredentials.BasicAuthorization("alice"), Is.EqualTo("Basic " + Convert.ToBase64String("alice:"u8.ToArray())));
        });
    }

    private static void AssertNowhere(OutputScan scan)
    {
        foreach (string secret in AllSecrets)
        {
            Assert.That(scan.WhereIs(secret), Is.Empty, $"'{secret}' leaked");
        }
    }

    /// <summary>Answers 200, except every other request (or every one, with <paramref name="always"/>) gets
    /// <paramref name="everyOther"/> with the request's credentials echoed in the status line and the body, as a
    /// careless or hostile server might.</summary>
    private static LoopbackServer EchoingServer(int everyOther, bool always = false)
    {
        int n = 0;
        return LoopbackServer.Start(ctx =>
        {
            if (!always && Interlocked.Increment(ref n) % 2 == 1)
            {
                return ctx.RespondAsync(200, "{\"id\":1}");
            }

            string echo = string.Join(' ', new[] { "Authorization", "X-Api-Key", "Cookie", "X-Auth-Token" }
                .Select(ctx.Request.Header).OfType<string>());
            string body = $"denied: {string.Join("; ", ctx.Request.Headers.Select(h => $"{h.Key}: {h.Value}"))}";
            return ctx.WriteAsync(string.Create(CultureInfo.InvariantCulture,
                $"HTTP/1.1 {everyOther} denied {echo}\r\nContent-Length: {body.Length}\r\nWWW-Authenticate: Basic realm=\"{echo}\"\r\n\r\n{body}"));
        });
    }

    /// <summary>A Prometheus with no metrics: enough for the detector to call it reachable.</summary>
    private static string PrometheusAnswer(string target) => target switch
    {
        _ when target.StartsWith("/api/v1/status/buildinfo", StringComparison.Ordinal) =>
            "{\"status\":\"success\",\"data\":{\"version\":\"2.53.0\",\"revision\":\"x\",\"goVersion\":\"go1.22\"}}",
        _ when target.StartsWith("/api/v1/metadata", StringComparison.Ordinal) => "{\"status\":\"success\",\"data\":{}}",
        _ when target.StartsWith("/api/v1/query", StringComparison.Ordinal) =>
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}",
        _ => "{\"status\":\"success\",\"data\":[]}",
    };

    private static async Task<DetectorResult> DetectorRunAsync(params string[] args)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"bd-secrets-{Guid.NewGuid():N}");
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        (int code, string stdout, string stderr) = await InProcess((o, e) => DetectorApp.RunAsync(
            [.. args, "--output", folder, "--timeout", "5"], o, e, limit.Token));
        return new DetectorResult(code, stdout, stderr, folder);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> InProcess(Func<TextWriter, TextWriter, Task<int>> run)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await run(stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A detector run with the real Prometheus and Jaeger clients (DetectorRun takes fakes).</summary>
    private sealed record DetectorResult(int ExitCode, string Stdout, string Stderr, string OutputFolder) : IDisposable
    {
        public void Dispose()
        {
            if (Directory.Exists(OutputFolder))
            {
                Directory.Delete(OutputFolder, recursive: true);
            }
        }

        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }
}
