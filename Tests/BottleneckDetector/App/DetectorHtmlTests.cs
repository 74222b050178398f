using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports;

namespace PerfTools.Tests.BottleneckDetector.App;

/// <summary><c>bottleneck_report_&lt;ts&gt;.html</c>: written on every run, self-contained, with every text masked and
/// escaped as on the console. (How it renders is checked in a real browser by <c>HtmlChromiumTests</c>.)</summary>
public class DetectorHtmlTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static readonly Finding SlowEndpoint = new("slow_endpoint", Severity.Critical, "GET /slow", 812.5, "ms", 500,
        "histogram_quantile(0.95, …)", "Profile GET /slow.");

    private static readonly Finding NPlusOne = new("n_plus_one", Severity.Warning, "GET /boards/{id}/posts", 22, "queries/request", 10,
        $"trace {TraceId}: 21 × SELECT … FROM posts WHERE id = ?", "Batch the per-post query into one JOIN.")
    {
        NextSteps = [$"open trace {TraceId} in Jaeger (http://localhost:16686/trace/{TraceId}) and batch the repeated statements under one parent"],
    };

    [TestCase("findings", ExitCodes.Failed, "findings: 1 critical, 1 warning", TestName = "RunAsync_Findings_HtmlWritten")]
    [TestCase("unreachable", ExitCodes.SourcesUnreachable, "nothing checked: neither Prometheus nor Jaeger could be reached",
        TestName = "RunAsync_BothSourcesUnreachable_HtmlWritten")]
    [TestCase("interrupted", ExitCodes.Interrupted, "interrupted: what follows is what Prometheus and Jaeger answered before the run was stopped",
        TestName = "RunAsync_Interrupted_HtmlWritten")]
    public async Task RunAsync_AnyRun_HtmlReportBesideTheOthers(string kind, int exitCode, string verdict)
    {
        using var stop = new CancellationTokenSource();
        (FakeMetricsAnalyzer metrics, FakeTracesAnalyzer traces) = kind switch
        {
            "findings" => (new FakeMetricsAnalyzer(FakeMetricsAnalyzer.Reachable([SlowEndpoint])), new FakeTracesAnalyzer(FakeTracesAnalyzer.Reachable([NPlusOne]))),
            "unreachable" => (new FakeMetricsAnalyzer(), new FakeTracesAnalyzer()),
            _ => (new FakeMetricsAnalyzer(hang: true), new FakeTracesAnalyzer(FakeTracesAnalyzer.Reachable([NPlusOne]))),
        };
        if (kind == "interrupted")
        {
            stop.CancelAfter(TimeSpan.FromMilliseconds(200));
        }

        using var run = await DetectorRun.StartAsync(metrics, traces, stop.Token);

        string? html = run.Report("bottleneck_report_", ".html");
        string? json = run.Report("bottleneck_findings_", ".json");
        Assert.That(html, Is.Not.Null, run.ToString());
        string page = await File.ReadAllTextAsync(html!);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(exitCode), run.ToString());
            Assert.That(Path.GetFileNameWithoutExtension(html), Is.EqualTo(Path.GetFileNameWithoutExtension(json)!.Replace("findings", "report", StringComparison.Ordinal)));
            Assert.That(run.Section("Reports"), Has.Some.EndsWith(Path.GetFileName(html!)), "the console names it");
            Assert.That(page, Does.Contain(HtmlReport.Escape(verdict)));
            Assert.That(page, Does.Contain("<table id=\"findings\">").And.Contain("<table id=\"sources\">"));
            Assert.That(page, Does.Contain("src=\"data:image/png;base64,iVBORw0KGgo"), "the chart, embedded");
            Assert.That(page, Does.Not.Contain("<script").And.Not.Contain("id=\"comparison\""));
        });
    }

    [Test]
    public async Task RunAsync_Findings_TableRowsAsInTheJson()
    {
        using var run = await DetectorRun.StartAsync(
            new FakeMetricsAnalyzer(FakeMetricsAnalyzer.Reachable([SlowEndpoint with { Value = 812.123456789 }])),
            new FakeTracesAnalyzer(FakeTracesAnalyzer.Reachable([NPlusOne])));

        string page = await File.ReadAllTextAsync(run.Report("bottleneck_report_", ".html")!);

        Assert.Multiple(() =>
        {
            Assert.That(page, Does.Contain("<td>slow_endpoint</td><td>critical</td><td>GET /slow</td><td class=\"num\">812.123457</td><td>ms</td><td class=\"num\">500</td>"));
            Assert.That(page, Does.Contain("<td>n_plus_one</td><td>warning</td><td>GET /boards/{id}/posts</td><td class=\"num\">22</td><td>queries/request</td>"));
            Assert.That(page, Does.Contain($"open trace {TraceId} in Jaeger"), "the next steps");
        });
    }

    [Test]
    public async Task RunAsync_HostileTextAndCredentials_EscapedAndMaskedInHtml()
    {
        var hostile = SlowEndpoint with
        {
            Target = "GET /<script>alert(1)</script>",
            Evidence = "curl -H 'Authorization: Bearer abcdef0123456789' http://carol:pa55word@127.0.0.1:9090/api",
        };
        // As the trace rules word it with the --jaeger-url below.
        var linked = NPlusOne with
        {
            NextSteps = [TraceEvidence.OpenStep(TraceRuleContext.Default with { JaegerUrl = "http://bob:hunter22@127.0.0.1:16686/" }, TraceId, "batch them")],
        };

        using var run = await DetectorRun.StartAsync(
            new FakeMetricsAnalyzer(FakeMetricsAnalyzer.Reachable([hostile])), new FakeTracesAnalyzer(FakeTracesAnalyzer.Reachable([linked])),
            "--jaeger-url", "http://bob:hunter22@127.0.0.1:16686");

        string page = await File.ReadAllTextAsync(run.Report("bottleneck_report_", ".html")!);
        Assert.Multiple(() =>
        {
            Assert.That(page, Does.Not.Contain("<script"));
            Assert.That(page, Does.Contain("GET /&lt;script&gt;alert(1)&lt;/script&gt;"));
            Assert.That(page, Does.Not.Contain("abcdef0123456789").And.Not.Contain("pa55word").And.Not.Contain("hunter22"));
            Assert.That(page, Does.Contain("http://***@127.0.0.1:16686/trace/"), "the Jaeger link of the next steps, masked");
        });
    }

    [Test]
    public async Task RunAsync_Baseline_HtmlHasTheComparisonTable()
    {
        string folder = Directory.CreateTempSubdirectory("bd-html-baseline-").FullName;
        try
        {
            using (await DetectorRun.StartAsync(new FakeMetricsAnalyzer(FakeMetricsAnalyzer.Reachable([SlowEndpoint with { Value = 1200 }])),
                       new FakeTracesAnalyzer(FakeTracesAnalyzer.Reachable([NPlusOne])), "--output", folder))
            {
            }

            string baseline = Directory.GetFiles(folder, "bottleneck_findings_*.json").Single();
            using var run = await DetectorRun.StartAsync(new FakeMetricsAnalyzer(FakeMetricsAnalyzer.Reachable([SlowEndpoint])),
                new FakeTracesAnalyzer(FakeTracesAnalyzer.Reachable([])), "--baseline", baseline);

            string page = await File.ReadAllTextAsync(run.Report("bottleneck_report_", ".html")!);
            Assert.Multiple(() =>
            {
                Assert.That(page, Does.Contain("<table id=\"comparison\">"));
                Assert.That(page, Does.Contain("0 new, 1 remaining, 1 gone"));
                Assert.That(page, Does.Contain("<td>remaining</td><td>slow_endpoint</td><td>GET /slow</td><td>critical</td><td>critical</td>"
                    + "<td class=\"num\">1200</td><td class=\"num\">812.5</td><td class=\"num\">-387.5</td><td class=\"num\">-32.291667%</td>"));
                Assert.That(page, Does.Contain("<td>gone</td><td>n_plus_one</td>"));
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
