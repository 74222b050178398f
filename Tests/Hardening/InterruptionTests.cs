using System.Collections.Concurrent;
using System.Diagnostics;
using PerfTools.BottleneckDetector;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports.Analyzer;
using PerfTools.Shared.Reports.Detector;
using PerfTools.Shared.Reports.Simulation;
using PerfTools.Tests.Http;
using PerfTools.Tests.PerformanceAnalyzer;

namespace PerfTools.Tests.Hardening;

/// <summary>Real SIGINT and SIGTERM, sent to the built tools running as child processes, in every phase of a run:
/// sending stops within a second, the process exits 130 (SIGINT) or 143 (SIGTERM) within a few seconds, the reports
/// of what was measured are written whole and read back, and no temporary or claim file is left.</summary>
[Category("Slow")]
public sealed class InterruptionTests
{
    /// <summary>The issue's "stop sending within a second".</summary>
    private static readonly TimeSpan StopSending = TimeSpan.FromSeconds(1);

    /// <summary>Stop, write the reports (a chart included) and exit, on a busy machine.</summary>
    private static readonly TimeSpan ExitWithin = TimeSpan.FromSeconds(8);

    /// <summary>How long a test waits for a run to reach the phase it interrupts.</summary>
    private static readonly TimeSpan PhaseWithin = TimeSpan.FromSeconds(30);

    private string _output = "";

    [SetUp]
    public void SetUp() => _output = Path.Combine(Path.GetTempPath(), $"hardening-signal-{Guid.NewGuid():N}");

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [TestCase(ToolProcess.SigInt, ExitCodes.Interrupted)]
    [TestCase(ToolProcess.SigTerm, ExitCodes.Terminated)]
    public async Task Analyzer_SignalDuringWarmup_StopsExitsAndWritesReports(int signal, int expected)
    {
        await using var target = RecordingServer.Start(ctx => ctx.RespondAsync(200, "{}"), delayMs: 20);
        using var run = ToolProcess.Start("performance_analyzer", AnalyzerRun.Quick(target.Url,
            "--endpoint", "/boards", "--warmup", "100000", "--iterations", "5", "--output", _output));

        await WaitForAsync(() => target.Count >= 5, run);
        TimeSpan signalledAt = await SignalAndWaitAsync(run, signal, expected, target);

        AssertStoppedSending(target, signalledAt, run);
        string requests = Report("performance_requests_*.csv", run);
        Assert.Multiple(() =>
        {
            Assert.That(RequestsCsv.ReadFile(requests), Is.Empty, "warm-up requests are not measurements");
            Assert.That(SummaryCsv.ReadFile(Report("performance_summary_*.csv", run)).Sum(s => s.Count), Is.Zero);
            Assert.That(PerformanceDataJson.ReadFile(Report("performance_data_*.json", run)), Is.Empty);
            Assert.That(run.Stderr, Does.Contain("interrupted"), run.ToString());
            Assert.That(File.ReadAllText(Report("performance_report_*.html", run)), Does.Contain("interrupted: stopped sending"),
                "the page is written too");
        });
        AssertNoLeftovers();
    }

    [TestCase(ToolProcess.SigInt, ExitCodes.Interrupted)]
    [TestCase(ToolProcess.SigTerm, ExitCodes.Terminated)]
    public async Task Analyzer_SignalWhileMeasuring_StopsExitsAndWritesWhatWasMeasured(int signal, int expected)
    {
        await using var target = RecordingServer.Start(ctx => ctx.RespondAsync(200, "{}"), delayMs: 20);
        using var run = ToolProcess.Start("performance_analyzer", AnalyzerRun.Quick(target.Url,
            "--endpoint", "/boards", "--iterations", "100000", "--concurrency", "4", "--output", _output));

        await WaitForAsync(() => target.Count >= 20, run);
        TimeSpan signalledAt = await SignalAndWaitAsync(run, signal, expected, target);

        AssertStoppedSending(target, signalledAt, run);
        var rows = RequestsCsv.ReadFile(Report("performance_requests_*.csv", run));
        var data = PerformanceDataJson.ReadFile(Report("performance_data_*.json", run));
        var summary = SummaryCsv.ReadFile(Report("performance_summary_*.csv", run));
        Assert.Multiple(() =>
        {
            Assert.That(rows, Has.Count.InRange(16, target.Count), "every completed request is in the report");
            Assert.That(rows.Select(r => r.Error), Has.All.EqualTo(Shared.Http.ErrorKind.None), "a request cut short is not a measurement");
            Assert.That(data["GET /boards"], Has.Count.EqualTo(rows.Count));
            Assert.That(summary.Single().Count, Is.EqualTo(rows.Count));
        });
        AssertNoLeftovers();
    }

    [TestCase(ToolProcess.SigInt, ExitCodes.Interrupted)]
    [TestCase(ToolProcess.SigTerm, ExitCodes.Terminated)]
    public async Task Analyzer_SignalWhileJaegerNeverAnswers_StopsExitsAndWritesReports(int signal, int expected)
    {
        await using var target = RecordingServer.Start(ctx => ctx.RespondAsync(200, "{}"));
        await using var jaeger = RecordingServer.Start(ctx => ctx.NeverAnswerAsync());
        using var run = ToolProcess.Start("performance_analyzer", AnalyzerRun.Quick(target.Url,
            "--endpoint", "/boards", "--jaeger-url", jaeger.Url, "--timeout", "30", "--output", _output));

        await WaitForAsync(() => jaeger.Count >= 1, run);
        TimeSpan signalledAt = await SignalAndWaitAsync(run, signal, expected, target, jaeger);

        AssertStoppedSending(target, signalledAt, run);
        AssertStoppedSending(jaeger, signalledAt, run);
        Assert.That(RequestsCsv.ReadFile(Report("performance_requests_*.csv", run)), Has.Count.EqualTo(3),
            "the three measured requests are reported though their traces were not explained");
        AssertNoLeftovers();
    }

    [TestCase(ToolProcess.SigInt, ExitCodes.Interrupted)]
    [TestCase(ToolProcess.SigTerm, ExitCodes.Terminated)]
    public async Task Simulator_SignalMidScenario_StopsExitsAndWritesTheScenario(int signal, int expected)
    {
        await using var target = RecordingServer.Start(ctx => ctx.RespondAsync(200, "{}"), delayMs: 10);
        using var run = ToolProcess.Start("simulate_bottleneck",
            "--base-url", target.Url, "--scenario", "load", "--rps", "50", "--duration", "60", "--warmup", "0", "--output", _output);

        await WaitForAsync(() => target.Count >= 20, run);
        TimeSpan signalledAt = await SignalAndWaitAsync(run, signal, expected, target);

        AssertStoppedSending(target, signalledAt, run);
        var stats = SimulationJson.ReadFile(Report("simulation_load_*.json", run));
        Assert.Multiple(() =>
        {
            Assert.That(stats.Requests, Is.InRange(15, target.Count), run.ToString());
            Assert.That(stats.DurationSeconds, Is.LessThan(30), "the scenario was cut short, not run out");
            Assert.That(SimulationCsv.ReadFile(Report("simulation_load_*.csv", run)), Is.Not.Empty);
            Assert.That(run.Stdout, Does.Contain("(interrupted)"));
            Assert.That(File.ReadAllText(Report("simulation_report_*.html", run)), Does.Contain("load: interrupted after"),
                "the run's page is written too");
        });
        AssertNoLeftovers();
    }

    [TestCase(ToolProcess.SigInt, ExitCodes.Interrupted)]
    [TestCase(ToolProcess.SigTerm, ExitCodes.Terminated)]
    public async Task Simulator_SignalDuringWarmup_StopsExitsAndSaysNothingWasMeasured(int signal, int expected)
    {
        await using var target = RecordingServer.Start(ctx => ctx.RespondAsync(200, "{}"), delayMs: 10);
        using var run = ToolProcess.Start("simulate_bottleneck",
            "--base-url", target.Url, "--scenario", "load", "--rps", "50", "--warmup", "600", "--duration", "5", "--output", _output);

        await WaitForAsync(() => target.Count >= 20, run);
        TimeSpan signalledAt = await SignalAndWaitAsync(run, signal, expected, target);

        AssertStoppedSending(target, signalledAt, run);
        Assert.Multiple(() =>
        {
            Assert.That(Directory.GetFiles(_output, "simulation_load_*"), Is.Empty, "the warm-up is not recorded: no scenario report");
            Assert.That(run.Stdout, Does.Match(@"warm-up: cut short after \d+\.\d of 600 s at 50 rps, \d+ requests sent, not recorded"), run.ToString());
            Assert.That(run.Stdout, Does.Contain("load: skipped: interrupted during the warm-up, before anything was measured"));
            Assert.That(File.ReadAllText(Report("simulation_report_*.html", run)), Does.Contain("interrupted during the warm-up"),
                "the run's page is written and says so");
        });
        AssertNoLeftovers();
    }

    [TestCase(ToolProcess.SigInt, ExitCodes.Interrupted)]
    [TestCase(ToolProcess.SigTerm, ExitCodes.Terminated)]
    public async Task Simulator_SignalBetweenScenarios_FinishedScenarioKeptNextNotStarted(int signal, int expected)
    {
        // n_plus_1's setup (POST /boards) never answers: the run is held after load is done and reported.
        await using var target = RecordingServer.Start(ctx => ctx.Request.Method == "POST" ? ctx.NeverAnswerAsync() : ctx.RespondAsync(200, "{}"));
        using var run = ToolProcess.Start("simulate_bottleneck",
            "--base-url", target.Url, "--scenario", "all", "--rps", "20", "--duration", "1", "--warmup", "0", "--timeout", "30",
            "--output", _output);

        await WaitForAsync(() => target.Requests.Any(r => r.Method == "POST"), run);
        TimeSpan signalledAt = await SignalAndWaitAsync(run, signal, expected, target);

        AssertStoppedSending(target, signalledAt, run);
        var load = SimulationJson.ReadFile(Report("simulation_load_*.json", run));
        Assert.Multiple(() =>
        {
            Assert.That(load.Requests, Is.InRange(15, 25), "load ran its whole second at 20 rps");
            Assert.That(Directory.GetFiles(_output, "simulation_n_plus_1_*"), Is.Empty, "nothing of n_plus_1 was measured");
            Assert.That(Directory.GetFiles(_output, "simulation_slow_*").Concat(Directory.GetFiles(_output, "simulation_memory_*")), Is.Empty,
                "no scenario starts after the signal");
            Assert.That(target.Requests.Count(r => r.Method == "POST"), Is.EqualTo(1), "the setup stopped at its first request");
        });
        AssertNoLeftovers();
    }

    [TestCase(ToolProcess.SigInt, ExitCodes.Interrupted)]
    [TestCase(ToolProcess.SigTerm, ExitCodes.Terminated)]
    public async Task Detector_SignalWhilePrometheusStalls_StopsExitsAndWritesReports(int signal, int expected)
    {
        await using var prometheus = RecordingServer.Start(ctx => ctx.NeverAnswerAsync());
        await using var jaeger = RecordingServer.Start(FakeJaeger);
        using var run = ToolProcess.Start("bottleneck_detector",
            "--prometheus-url", prometheus.Url, "--jaeger-url", jaeger.Url, "--timeout", "30", "--output", _output);

        await WaitForAsync(() => prometheus.Count >= 1 && jaeger.Count >= 2, run);
        TimeSpan signalledAt = await SignalAndWaitAsync(run, signal, expected, prometheus, jaeger);

        AssertStoppedSending(prometheus, signalledAt, run);
        AssertStoppedSending(jaeger, signalledAt, run);
        DetectionSummary summary = AssertDetectorReports(run);
        Assert.Multiple(() =>
        {
            Assert.That(summary.Prometheus.Message, Does.Contain("interrupted"), run.ToString());
            Assert.That(summary.Jaeger.Reachable, Is.True, "what Jaeger answered before the signal is kept");
        });
        AssertNoLeftovers();
    }

    [TestCase(ToolProcess.SigInt, ExitCodes.Interrupted)]
    [TestCase(ToolProcess.SigTerm, ExitCodes.Terminated)]
    public async Task Detector_SignalWhileJaegerStalls_StopsExitsAndWritesReports(int signal, int expected)
    {
        await using var prometheus = RecordingServer.Start(FakePrometheus);
        await using var jaeger = RecordingServer.Start(ctx => ctx.NeverAnswerAsync());
        using var run = ToolProcess.Start("bottleneck_detector",
            "--prometheus-url", prometheus.Url, "--jaeger-url", jaeger.Url, "--timeout", "30", "--output", _output);

        await WaitForAsync(() => jaeger.Count >= 1 && prometheus.Count >= 3, run);
        TimeSpan signalledAt = await SignalAndWaitAsync(run, signal, expected, prometheus, jaeger);

        AssertStoppedSending(prometheus, signalledAt, run);
        AssertStoppedSending(jaeger, signalledAt, run);
        DetectionSummary summary = AssertDetectorReports(run);
        Assert.That(summary.Jaeger.Message, Does.Contain("interrupted"), run.ToString());
        AssertNoLeftovers();
    }

    [Test]
    public async Task Detector_InterruptedAfterTheFirstRule_KeepsItsFindingAndSaysPartial()
    {
        using var stop = new CancellationTokenSource();
        // Discovery finds a latency histogram and a DB query counter; slow_endpoint's queries are answered (p95 2 s on
        // /boards), the DB rule's query hangs, and Ctrl+C comes while it does.
        await using var prometheus = RecordingServer.Start(ctx =>
        {
            string path = ctx.Request.Target.Split('?')[0];
            string request = Uri.UnescapeDataString(ctx.Request.Target + " " + System.Text.Encoding.UTF8.GetString(ctx.Request.Body));
            if (path == "/api/v1/query" && request.Contains("forum_db_queries_total", StringComparison.Ordinal))
            {
                stop.Cancel();
                return ctx.NeverAnswerAsync();
            }

            string data = path switch
            {
                "/api/v1/label/__name__/values" =>
                    """["http_request_duration_seconds_bucket","http_request_duration_seconds_count","http_request_duration_seconds_sum","forum_db_queries_total"]""",
                "/api/v1/labels" when request.Contains("forum_db_queries_total", StringComparison.Ordinal) => """["__name__","route"]""",
                "/api/v1/labels" when request.Contains("http_request_duration_seconds", StringComparison.Ordinal) => """["__name__","endpoint","le"]""",
                "/api/v1/query" when request.Contains("histogram_quantile", StringComparison.Ordinal) =>
                    """{"resultType":"vector","result":[{"metric":{"endpoint":"/boards"},"value":[1795000000,"2"]}]}""",
                _ => null,
            } ?? """{"resultType":"vector","result":[]}""";
            return path is "/api/v1/query" or "/api/v1/label/__name__/values" or "/api/v1/labels"
                ? ctx.RespondAsync(200, $$"""{"status":"success","data":{{data}}}""", ("Content-Type", "application/json"))
                : FakePrometheus(ctx);
        });
        await using var jaeger = RecordingServer.Start(FakeJaeger);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int code = await DetectorApp.RunAsync(
            ["--prometheus-url", prometheus.Url, "--jaeger-url", jaeger.Url, "--output", _output, "--timeout", "30"],
            stdout, stderr, stop.Token);

        DetectionSummary summary = FindingsJson.ReadFile(Directory.GetFiles(_output, "bottleneck_findings_*.json").Single());
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Interrupted), $"{stdout}\n{stderr}");
            Assert.That(summary.Findings.Select(f => (f.Rule, f.Target)), Does.Contain(("slow_endpoint", "/boards")),
                "what the rules found before Ctrl+C is reported");
            Assert.That(summary.Prometheus.Reachable, Is.True);
            Assert.That(summary.Prometheus.Message, Does.Match("^interrupted after [12] of 10 rules$"), "slow_endpoint (and error_rate) ran, the DB rule did not");
            Assert.That(stdout.ToString(), Does.Contain($"reachable, version 2.53.0 ({summary.Prometheus.Message})"));
            Assert.That(stdout.ToString(), Does.Contain("the run was interrupted: run it again to the end for every check"));
            Assert.That(stderr.ToString(), Does.StartWith("interrupted: "));
        });
        AssertNoLeftovers();
    }

    [Test]
    public async Task Detector_InterruptedWhileSearchingTheSecondService_AnalysesTheFirstServicesTraces()
    {
        using var stop = new CancellationTokenSource();
        string Data(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "jaeger", name));
        await using var jaeger = RecordingServer.Start(ctx =>
        {
            string target = Uri.UnescapeDataString(ctx.Request.Target);
            if (target.StartsWith("/api/v3/services", StringComparison.Ordinal))
            {
                return ctx.RespondAsync(200, Data("v3_services.json"), ("Content-Type", "application/json"));
            }

            if (target.Contains("query.serviceName=forum-api", StringComparison.Ordinal))
            {
                return ctx.RespondAsync(200, Data("v3_search.json"), ("Content-Type", "application/json"));
            }

            stop.Cancel(); // Ctrl+C while the second service's search hangs
            return ctx.NeverAnswerAsync();
        });
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int code = await DetectorApp.RunAsync(
            ["--prometheus-url", $"http://127.0.0.1:{AnalyzerRun.ClosedPort()}", "--jaeger-url", jaeger.Url, "--output", _output],
            stdout, stderr, stop.Token);

        DetectionSummary summary = FindingsJson.ReadFile(Directory.GetFiles(_output, "bottleneck_findings_*.json").Single());
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Interrupted), $"{stdout}\n{stderr}\n{string.Join("\n", jaeger.Requests.Select(r => r.Target))}");
            Assert.That(summary.Jaeger.Reachable, Is.True, summary.Jaeger.Message);
            Assert.That(summary.Jaeger.Message, Does.StartWith("interrupted after 1 of 2 services"));
            Assert.That(summary.Findings.Select(f => f.Rule), Does.Contain("slow_trace"), "forum-api's traces were analysed");
        });
        AssertNoLeftovers();
    }

    /// <summary>Just enough of Prometheus' HTTP API for the detector to go through its rules and find nothing.</summary>
    private static Task FakePrometheus(LoopbackContext ctx)
    {
        string path = ctx.Request.Target.Split('?')[0];
        string data = path switch
        {
            "/api/v1/status/buildinfo" => """{"version":"2.53.0","revision":"test","goVersion":"go1.22"}""",
            "/api/v1/query" => """{"resultType":"vector","result":[]}""",
            "/api/v1/query_range" => """{"resultType":"matrix","result":[]}""",
            "/api/v1/metadata" => "{}",
            _ => "[]",
        };
        return ctx.RespondAsync(200, $$"""{"status":"success","data":{{data}}}""", ("Content-Type", "application/json"));
    }

    /// <summary>A Jaeger (v1 API; v3 answers 404) with one application service and no traces.</summary>
    private static Task FakeJaeger(LoopbackContext ctx)
    {
        string path = ctx.Request.Target.Split('?')[0];
        return path switch
        {
            "/api/services" => ctx.RespondAsync(200, """{"data":["forum-api"],"total":1}""", ("Content-Type", "application/json")),
            "/api/traces" => ctx.RespondAsync(200, """{"data":[],"total":0}""", ("Content-Type", "application/json")),
            _ => ctx.RespondAsync(404, """{"error":"not found"}""", ("Content-Type", "application/json")),
        };
    }

    private static async Task WaitForAsync(Func<bool> phase, ToolProcess run)
    {
        var clock = Stopwatch.StartNew();
        while (!phase())
        {
            if (clock.Elapsed > PhaseWithin)
            {
                Assert.Fail($"the run did not reach the phase to interrupt within {PhaseWithin.TotalSeconds:0} s\n{run}");
            }

            if (await run.WaitAsync(TimeSpan.FromMilliseconds(20)) is { } code)
            {
                Assert.Fail($"the run ended (exit {code}) before the phase to interrupt\n{run}");
            }
        }
    }

    /// <returns>When the signal was sent, on the servers' clock.</returns>
    private static async Task<TimeSpan> SignalAndWaitAsync(ToolProcess run, int signal, int expected, params RecordingServer[] servers)
    {
        TimeSpan signalledAt = servers[0].Now;
        run.Signal(signal);
        int? code = await run.WaitAsync(ExitWithin);
        TestContext.Out.WriteLine($"{run.Tool}: exit {code} {(servers[0].Now - signalledAt).TotalMilliseconds:0} ms after signal {signal}");
        Assert.That(code, Is.EqualTo(expected), $"exit code within {ExitWithin.TotalSeconds:0} s of the signal\n{run}");
        Assert.That(run.Stderr, Does.Not.Contain("   at "), "no stack trace");
        return signalledAt;
    }

    private static void AssertStoppedSending(RecordingServer server, TimeSpan signalledAt, ToolProcess run)
    {
        var late = server.Arrivals.Where(t => t > signalledAt + StopSending).ToList();
        TimeSpan? last = server.Arrivals.Where(t => t > signalledAt).Select(t => (TimeSpan?)t).Max();
        TestContext.Out.WriteLine($"{run.Tool}: {server.Count} requests, last {(last is { } l ? $"{(l - signalledAt).TotalMilliseconds:0} ms after" : "before")} the signal");
        Assert.That(late, Is.Empty,
            $"requests arrived more than {StopSending.TotalSeconds:0} s after the signal (at +{string.Join(", +", late.Select(t => (t - signalledAt).TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))} ms)\n{run}");
    }

    private DetectionSummary AssertDetectorReports(ToolProcess run)
    {
        DetectionSummary summary = FindingsJson.ReadFile(Report("bottleneck_findings_*.json", run));
        Assert.Multiple(() =>
        {
            Assert.That(FindingsCsv.ReadFile(Report("bottleneck_findings_*.csv", run)), Has.Count.EqualTo(summary.Findings.Count));
            Assert.That(File.ReadAllText(Report("bottleneck_report_*.txt", run)), Does.Contain("interrupted"));
            Assert.That(run.Stderr, Does.Contain("interrupted"), run.ToString());
        });
        return summary;
    }

    /// <summary>The one report matching <paramref name="glob"/>.</summary>
    private string Report(string glob, ToolProcess run)
    {
        string[] found = Directory.Exists(_output) ? Directory.GetFiles(_output, glob) : [];
        Assert.That(found, Has.Length.EqualTo(1), $"one {glob} in {_output}: [{string.Join(", ", found)}]\n{run}");
        return found[0];
    }

    private void AssertNoLeftovers()
    {
        string[] hidden = Directory.Exists(_output) ? Directory.GetFiles(_output, ".*") : [];
        Assert.That(hidden, Is.Empty, "no temporary (*.tmp) or claim file is left behind");
    }

    /// <summary>A <see cref="LoopbackServer"/> that notes when each request arrived, then hands it on.</summary>
    private sealed class RecordingServer : IAsyncDisposable
    {
        /// <summary>One clock for every server of a test and for the moment of the signal.</summary>
        private static readonly Stopwatch Clock = Stopwatch.StartNew();

        private readonly ConcurrentQueue<TimeSpan> _arrivals = new();
        private LoopbackServer _server = null!;

        public string Url => _server.BaseUrl.ToString();

        public TimeSpan Now => Clock.Elapsed;

        public int Count => _arrivals.Count;

        public IReadOnlyList<TimeSpan> Arrivals => _arrivals.ToArray();

        public IReadOnlyList<LoopbackRequest> Requests => _server.Requests;

        /// <param name="delayMs">How long each answer takes, so a run lasts and has requests in flight.</param>
        public static RecordingServer Start(Func<LoopbackContext, Task> handler, int delayMs = 0)
        {
            var recording = new RecordingServer();
            recording._server = LoopbackServer.Start(async ctx =>
            {
                recording._arrivals.Enqueue(Clock.Elapsed);
                if (delayMs > 0)
                {
                    await Task.Delay(delayMs, ctx.Aborted);
                }

                await handler(ctx);
            });
            return recording;
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }
}
