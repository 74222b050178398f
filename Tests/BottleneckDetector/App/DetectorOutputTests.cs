using System.Text.RegularExpressions;
using PerfTools.BottleneckDetector;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports.Detector;
using PerfTools.Tests.Reports;
using SkiaSharp;

namespace PerfTools.Tests.BottleneckDetector.App;

/// <summary>The console sections, recommendations, next steps, exit codes and reports, from fake analyzers' findings.</summary>
public class DetectorOutputTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static readonly Finding SlowEndpoint = new("slow_endpoint", Severity.Critical, "GET /slow", 812.5, "ms", 500,
        "histogram_quantile(0.95, sum by (le, endpoint) (rate(http_request_duration_seconds_bucket[5m])))",
        "Profile GET /slow: its p95 is above the threshold.");

    private static readonly Finding NPlusOne = new("n_plus_one", Severity.Warning, "GET /boards/{id}/posts", 22, "queries/request", 10,
        $"trace {TraceId}: 21 × SELECT … FROM posts WHERE id = ? under span 00f067aa0ba902b7",
        "Batch the per-post query into one JOIN.");

    private static readonly Finding HighDb = new("high_db_usage", Severity.Info, "GET /boards/{id}/posts", 0.8, "ratio", 0.5,
        "sum(rate(forum_db_query_duration_seconds_sum[5m]))", "Batch the per-post query into one JOIN.");

    private static readonly Finding ErrorRate = new("error_rate", Severity.Warning, "POST /posts", 0.125, "ratio", 0.05,
        "sum(rate(http_request_duration_seconds_count{code=~\"5..\"}[5m]))", "Look at the 5xx answers of POST /posts.");

    private static readonly Finding MemoryGrowth = new("memory_growth", Severity.Info, "forum-api", 1234.5, "bytes/s", 1000,
        "deriv(process_working_set_bytes[5m])", "Look for objects kept per request.");

    private static readonly Finding SlowTrace = new("slow_trace", Severity.Critical, TraceId, 1520.25, "ms", 500,
        $"trace {TraceId}, root GET /slow", "Profile GET /slow: its p95 is above the threshold.");

    private static FakeMetricsAnalyzer Metrics(params Finding[] findings) => new(FakeMetricsAnalyzer.Reachable(findings,
        [new RouteLatency("GET /slow", 812.5), new RouteLatency("GET /boards", 12.25)],
        Enumerable.Range(0, 30).Select(i => new MemoryPoint(DateTimeOffset.UnixEpoch.AddSeconds(1_764_072_000 + (i * 10)), 50e6 + (i * 1e6))).ToList()));

    private static FakeTracesAnalyzer Traces(params Finding[] findings) => new(FakeTracesAnalyzer.Reachable(findings));

    [Test]
    public async Task RunAsync_Findings_FillTheirSections()
    {
        using var run = await DetectorRun.StartAsync(Metrics(SlowEndpoint, HighDb, ErrorRate, MemoryGrowth), Traces(NPlusOne, SlowTrace));

        Assert.Multiple(() =>
        {
            Assert.That(run.Section("Slow endpoints"), Is.EqualTo(new[]
            {
                "[critical] GET /slow: slow_endpoint 812.5 ms (threshold 500 ms)",
                $"evidence: {SlowEndpoint.Evidence}",
            }), run.ToString());
            Assert.That(run.Section("Database usage").Where(l => l.StartsWith('[')), Is.EqualTo(new[]
            {
                "[warning] GET /boards/{id}/posts: n_plus_one 22 queries/request (threshold 10 queries/request)",
                "[info] GET /boards/{id}/posts: high_db_usage 80 % (threshold 50 %)",
            }));
            Assert.That(run.Section("Memory")[0], Is.EqualTo("[info] forum-api: memory_growth 1234.5 bytes/s (threshold 1000 bytes/s)"));
            Assert.That(run.Section("CPU"), Is.EqualTo(new[] { "nothing found" }));
            Assert.That(run.Section("Error rates")[0], Is.EqualTo("[warning] POST /posts: error_rate 12.5 % (threshold 5 %)"));
            Assert.That(run.Section("Slowest traces")[0], Is.EqualTo($"[critical] {TraceId}: slow_trace 1520.25 ms (threshold 500 ms)"));
            Assert.That(run.Stdout, Does.Contain("Prometheus http://127.0.0.1:9090/: reachable, version 2.53.0\n"));
            Assert.That(run.Stdout, Does.Contain("  latency: http_request_duration_seconds by endpoint\n"));
            Assert.That(run.Stdout, Does.Contain("  not found: gc"));
            Assert.That(run.Stdout, Does.Contain("Jaeger http://127.0.0.1:16686/: reachable, API v3; services: forum-api; 20 traces analysed\n"));
            Assert.That(run.Stdout.Contains('\e', StringComparison.Ordinal), Is.False, "no colour when not on a terminal");
        });
    }

    [Test]
    public async Task RunAsync_JaegerUnreachable_SaidOnceAtTheTopWithTheFixSectionsSayNotChecked()
    {
        using var run = await DetectorRun.StartAsync(
            Metrics(SlowEndpoint, HighDb), new FakeTracesAnalyzer(FakeTracesAnalyzer.Unreachable("connection refused by 127.0.0.1:16686")));

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString());
            Assert.That(run.Stdout, Does.Contain(
                "Jaeger http://127.0.0.1:16686/: unreachable (connection refused by 127.0.0.1:16686)\n" +
                "  start it, or point at its query service with --jaeger-url URL; a bearer token is read from JAEGER_TOKEN\n"));
            Assert.That(Occurrences(run.Stdout, "connection refused"), Is.EqualTo(1), "the reason is said once");
            Assert.That(Occurrences(run.Stdout, "--jaeger-url"), Is.EqualTo(1), "the fix is said once");
            Assert.That(run.Section("Slowest traces"), Is.EqualTo(new[] { "not checked (Jaeger unreachable)" }));
            Assert.That(run.Section("Database usage").Last(), Is.EqualTo("partly not checked (Jaeger unreachable)"));
            Assert.That(run.Section("CPU"), Is.EqualTo(new[] { "nothing found" }));
            Assert.That(run.Section("Next steps"), Has.None.Contains("reachable"));
        });
    }

    [Test]
    public async Task RunAsync_PrometheusUnreachable_SaidOnceAtTheTopWithTheFixSectionsSayNotChecked()
    {
        using var run = await DetectorRun.StartAsync(
            new FakeMetricsAnalyzer(FakeMetricsAnalyzer.Unreachable("connection refused")), Traces(NPlusOne));

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(run.Stdout, Does.Contain(
                "Prometheus http://127.0.0.1:9090/: unreachable (connection refused)\n" +
                "  start it, or point at yours with --prometheus-url URL; a bearer token is read from PROMETHEUS_TOKEN\n"));
            Assert.That(Occurrences(run.Stdout, "connection refused"), Is.EqualTo(1), "the reason is said once");
            Assert.That(Occurrences(run.Stdout, "--prometheus-url"), Is.EqualTo(1), "the fix is said once");
            foreach (string section in new[] { "Slow endpoints", "Memory", "CPU", "Error rates" })
            {
                Assert.That(run.Section(section), Is.EqualTo(new[] { "not checked (Prometheus unreachable)" }), section);
            }

            Assert.That(run.Section("Database usage"), Is.EqualTo(new[]
            {
                "[warning] GET /boards/{id}/posts: n_plus_one 22 queries/request (threshold 10 queries/request)",
                $"evidence: {NPlusOne.Evidence}",
                "partly not checked (Prometheus unreachable)",
            }));
            Assert.That(run.Section("Slowest traces"), Is.EqualTo(new[] { "nothing found" }));
        });
    }

    [Test]
    public async Task RunAsync_BothUnreachable_NextStepsPointAtTheFixesAbove()
    {
        using var run = await DetectorRun.StartAsync(new FakeMetricsAnalyzer(), new FakeTracesAnalyzer());

        Assert.Multiple(() =>
        {
            Assert.That(run.Section("Next steps"), Is.EqualTo(new[] { "- nothing could be checked: reach the sources first (how is said under each at the top)" }), run.ToString());
            Assert.That(Occurrences(run.Stdout, "--prometheus-url URL"), Is.EqualTo(1));
            Assert.That(Occurrences(run.Stdout, "--jaeger-url URL"), Is.EqualTo(1));
        });
    }

    private static int Occurrences(string text, string part) => Regex.Matches(text, Regex.Escape(part)).Count;

    [Test]
    public async Task RunAsync_Recommendations_MostSevereFirstEachOnce()
    {
        using var run = await DetectorRun.StartAsync(Metrics(MemoryGrowth, HighDb, SlowEndpoint, ErrorRate), Traces(NPlusOne, SlowTrace));

        Assert.That(run.Section("Recommendations"), Is.EqualTo(new[]
        {
            "[critical] Profile GET /slow: its p95 is above the threshold.",
            "[warning] Look at the 5xx answers of POST /posts.",
            "[warning] Batch the per-post query into one JOIN.",
            "[info] Look for objects kept per request.",
        }), run.ToString());
    }

    [Test]
    public async Task RunAsync_NextSteps_TheFindingsOwnMostSevereFirstEachOnce()
    {
        var slow = SlowEndpoint with { NextSteps = ["measure it directly: ./performance_analyzer --base-url http://10.0.0.5:8080 --endpoint '/slow' --iterations 50"] };
        var nPlusOne = NPlusOne with
        {
            NextSteps = [$"open trace {TraceId} in Jaeger (http://localhost:16686/trace/{TraceId}) and batch the repeated statements under one parent", slow.NextSteps[0]],
        };
        var memory = MemoryGrowth with { NextSteps = ["take two heap snapshots of forum-api some minutes apart"] };

        using var run = await DetectorRun.StartAsync(Metrics(memory, slow), Traces(nPlusOne));

        Assert.That(run.Section("Next steps"), Is.EqualTo(new[]
        {
            "- " + slow.NextSteps[0],
            "- " + nPlusOne.NextSteps[0],
            "- " + memory.NextSteps[0],
        }), run.ToString());
    }

    [Test]
    public async Task RunAsync_NoFindings_NextStepsSayHowToLookHarder()
    {
        using var run = await DetectorRun.StartAsync(Metrics(), Traces());

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(run.Section("Slow endpoints"), Is.EqualTo(new[] { "nothing found" }));
            Assert.That(run.Section("Next steps"), Has.One.Contains("--threshold-ms"));
        });
    }

    private static IEnumerable<TestCaseData> FailOnCases()
    {
        yield return new TestCaseData(new[] { SlowEndpoint, NPlusOne }, Array.Empty<string>(), ExitCodes.Failed).SetName("critical, default → 1");
        yield return new TestCaseData(new[] { NPlusOne, MemoryGrowth }, Array.Empty<string>(), ExitCodes.Ok).SetName("only warnings, default → 0");
        yield return new TestCaseData(new[] { NPlusOne }, new[] { "--fail-on", "warning" }, ExitCodes.Failed).SetName("warning, --fail-on warning → 1");
        yield return new TestCaseData(new[] { MemoryGrowth }, new[] { "--fail-on", "warning" }, ExitCodes.Ok).SetName("info, --fail-on warning → 0");
        yield return new TestCaseData(new[] { MemoryGrowth }, new[] { "--fail-on", "info" }, ExitCodes.Failed).SetName("info, --fail-on info → 1");
        yield return new TestCaseData(new[] { SlowEndpoint }, new[] { "--fail-on", "none" }, ExitCodes.Ok).SetName("critical, --fail-on none → 0");
    }

    [TestCaseSource(nameof(FailOnCases))]
    public async Task RunAsync_FailOn_ExitCode(Finding[] findings, string[] args, int expected)
    {
        using var run = await DetectorRun.StartAsync(Metrics(findings), Traces(), args);

        Assert.That(run.ExitCode, Is.EqualTo(expected), run.ToString());
    }

    [Test]
    public async Task RunAsync_NeitherSourceReachable_Exit3ReportsWritten()
    {
        using var run = await DetectorRun.StartAsync(new FakeMetricsAnalyzer(), new FakeTracesAnalyzer());

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.SourcesUnreachable), run.ToString());
            Assert.That(run.Report("bottleneck_report_", ".txt"), Is.Not.Null);
            Assert.That(run.Report("bottleneck_report_", ".png"), Is.Not.Null);
            Assert.That(run.Report("bottleneck_findings_", ".json"), Is.Not.Null);
            Assert.That(run.Report("bottleneck_findings_", ".csv"), Is.Not.Null);
            Assert.That(run.Section("Recommendations"), Is.EqualTo(new[] { "none: nothing was found (nothing could be checked)" }));
        });
    }

    [Test]
    public async Task RunAsync_RealAnalyzersBothSourcesDown_SaysSoAndExits3()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string folder = Directory.CreateTempSubdirectory("bd-down-").FullName;
        string prometheus = $"http://127.0.0.1:{ClosedPort()}";
        string jaeger = $"http://127.0.0.1:{ClosedPort()}";
        try
        {
            int code = await DetectorApp.RunAsync(
                ["--output", folder, "--prometheus-url", prometheus, "--jaeger-url", jaeger, "--timeout", "2"],
                stdout, stderr, CancellationToken.None);

            Assert.Multiple(() =>
            {
                Assert.That(code, Is.EqualTo(ExitCodes.SourcesUnreachable));
                Assert.That(stdout.ToString(), Does.Contain($"Prometheus {prometheus}/: unreachable"));
                Assert.That(stdout.ToString(), Does.Contain($"Jaeger {jaeger}/: unreachable"));
                Assert.That(stderr.ToString(), Does.Not.Contain("   at "), "no stack trace");
                Assert.That(Directory.GetFiles(folder, "bottleneck_findings_*.json"), Has.Length.EqualTo(1));
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [TestCase("en-US")]
    [TestCase("de-DE")]
    public async Task RunAsync_Reports_EveryFileWrittenAndReadBack(string culture)
    {
        using var scope = new CultureScope(culture);
        Finding[] all = [SlowEndpoint, HighDb, ErrorRate, MemoryGrowth, NPlusOne, SlowTrace];
        using var run = await DetectorRun.StartAsync(Metrics(SlowEndpoint, HighDb, ErrorRate, MemoryGrowth), Traces(NPlusOne, SlowTrace),
            "--window", "1h", "--at", "1764072000");

        string? text = run.Report("bottleneck_report_", ".txt");
        string? json = run.Report("bottleneck_findings_", ".json");
        string? csv = run.Report("bottleneck_findings_", ".csv");
        string? png = run.Report("bottleneck_report_", ".png");
        Assert.That(new[] { text, json, csv, png }, Has.None.Null, run.ToString());

        var summary = FindingsJson.ReadFile(json!);
        using var bitmap = SKBitmap.Decode(png!);
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(text!), Is.EqualTo(run.Stdout));
            Assert.That(run.Stdout, Does.Contain(Path.GetFileName(png!)), "the text names the reports");
            Assert.That(summary.Findings, Is.EquivalentTo(all));
            Assert.That(summary.Window, Is.EqualTo("1h"));
            Assert.That(summary.EvaluatedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1764072000)));
            Assert.That(summary.Prometheus, Is.EqualTo(new SourceStatus("http://127.0.0.1:9090/", true, "2.53.0")));
            Assert.That(summary.Jaeger, Is.EqualTo(new SourceStatus("http://127.0.0.1:16686/", true, "v3")));
            Assert.That(summary.Discovered["latency"], Is.EqualTo("http_request_duration_seconds by endpoint"));
            Assert.That(FindingsCsv.ReadFile(csv!), Is.EquivalentTo(all));
            Assert.That(bitmap, Is.Not.Null);
            Assert.That(bitmap.Width, Is.EqualTo(1400));
            Assert.That(bitmap.Height, Is.EqualTo(900));
            Assert.That(bitmap.Pixels.Distinct().Count(), Is.GreaterThan(10), "not blank");
        });
    }

    [Test]
    public async Task RunAsync_AnalyzerThrows_OneLineNoStackOtherSourceKept()
    {
        var metrics = new FakeMetricsAnalyzer(error: new InvalidOperationException("rule blew up\n   at Somewhere.Deep()"));
        using var run = await DetectorRun.StartAsync(metrics, Traces(SlowTrace));

        Assert.Multiple(() =>
        {
            Assert.That(run.StderrLines, Has.Length.EqualTo(1), run.ToString());
            Assert.That(run.Stderr, Does.StartWith("bottleneck_detector: Prometheus analysis failed (InvalidOperationException: rule blew up"));
            Assert.That(run.Stderr + run.Stdout, Does.Not.Contain("DetectCommand").And.Not.Contain("--- End of"));
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), "Jaeger's critical finding still counts");
            Assert.That(run.Stdout, Does.Contain("Prometheus http://localhost:9090/: analysis failed (InvalidOperationException: rule blew up"));
            Assert.That(run.Section("Slow endpoints"), Is.EqualTo(new[] { "not checked (Prometheus analysis failed)" }));
            Assert.That(run.Section("Slowest traces")[0], Does.StartWith("[critical]"));
        });
    }

    [Test]
    public async Task RunAsync_BothAnalyzersThrow_Exit3()
    {
        using var run = await DetectorRun.StartAsync(
            new FakeMetricsAnalyzer(error: new HttpRequestException("boom")), new FakeTracesAnalyzer(error: new TimeoutException("slow")));

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.SourcesUnreachable), run.ToString());
            Assert.That(run.StderrLines, Has.Length.EqualTo(2));
        });
    }

    [Test]
    public async Task RunAsync_Interrupted_Exit130ReportsWritten()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        using var run = await DetectorRun.StartAsync(new FakeMetricsAnalyzer(hang: true), Traces(SlowTrace), stop.Token);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Interrupted), run.ToString());
            Assert.That(run.Stdout, Does.Contain("Prometheus http://localhost:9090/: interrupted before it answered\n"));
            Assert.That(run.Section("Slow endpoints"), Is.EqualTo(new[] { "not checked (interrupted)" }));
            Assert.That(run.Section("Next steps"), Does.Contain("- the run was interrupted: run it again to the end for every check"));
            Assert.That(run.Section("Slowest traces")[0], Does.StartWith("[critical]"), "what was gathered is reported");
            Assert.That(run.Report("bottleneck_findings_", ".json"), Is.Not.Null);
            Assert.That(run.StderrLines, Is.EqualTo(new[] { "interrupted: stopped asking Prometheus and Jaeger; reporting what they answered before" }),
                "one line says so, as the analyzer and the simulator do");
        });
    }

    [Test]
    [NonParallelizable] // sets environment variables
    public async Task RunAsync_Tokens_ReachAnalyzersButNeverOutput()
    {
        const string promToken = "prom-secret-7f3a9c";
        const string jaegerToken = "jaeger-secret-51be2d";
        string? oldProm = Environment.GetEnvironmentVariable("PROMETHEUS_TOKEN");
        string? oldJaeger = Environment.GetEnvironmentVariable("JAEGER_TOKEN");
        Environment.SetEnvironmentVariable("PROMETHEUS_TOKEN", promToken);
        Environment.SetEnvironmentVariable("JAEGER_TOKEN", jaegerToken);
        try
        {
            var metrics = Metrics(SlowEndpoint with { Evidence = $"curl -H 'Authorization: Bearer {promToken}' …" });
            var traces = new FakeTracesAnalyzer(error: new HttpRequestException($"401 for token {jaegerToken}"));
            using var run = await DetectorRun.StartAsync(metrics, traces);

            string files = string.Concat(Directory.GetFiles(run.OutputFolder).Select(File.ReadAllText));
            Assert.Multiple(() =>
            {
                Assert.That(metrics.Settings?.PrometheusToken, Is.EqualTo(promToken));
                Assert.That(traces.Settings?.JaegerToken, Is.EqualTo(jaegerToken));
                Assert.That(metrics.Settings?.ToString(), Does.Not.Contain(promToken));
                foreach (string output in new[] { run.Stdout, run.Stderr, files })
                {
                    Assert.That(output, Does.Not.Contain(promToken).And.Not.Contain(jaegerToken));
                }
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable("PROMETHEUS_TOKEN", oldProm);
            Environment.SetEnvironmentVariable("JAEGER_TOKEN", oldJaeger);
        }
    }

    [Test]
    public async Task RunAsync_DecimalCommaCulture_ConsoleUsesDots()
    {
        using var scope = new CultureScope("de-DE");
        using var run = await DetectorRun.StartAsync(Metrics(SlowEndpoint, ErrorRate, MemoryGrowth), Traces(SlowTrace), "--threshold-ms", "250.5");

        Assert.Multiple(() =>
        {
            Assert.That(run.Stdout, Does.Contain("812.5 ms").And.Contain("12.5 %").And.Contain("slow above 250.5 ms"), run.ToString());
            Assert.That(Regex.IsMatch(run.Stdout, @"\d,\d"), Is.False, "no decimal commas");
        });
    }
}
