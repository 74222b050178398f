using PerfTools.BottleneckDetector;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;

namespace PerfTools.Tests.BottleneckDetector.App;

/// <summary>Every bad value is refused before anything is asked: exit 2, one stderr line naming the option, and
/// neither analyzer called.</summary>
public class DetectorValidationTests
{
    [TestCase("--prometheus-url", new[] { "--prometheus-url", "ftp://127.0.0.1:9090" })]
    [TestCase("--prometheus-url", new[] { "--prometheus-url", "localhost:9090" })]
    [TestCase("--jaeger-url", new[] { "--jaeger-url", "not a url" })]
    [TestCase("--threshold-ms", new[] { "--threshold-ms=0" })]
    [TestCase("--threshold-ms", new[] { "--threshold-ms=-1" })]
    [TestCase("--window", new[] { "--window", "5" })]
    [TestCase("--window", new[] { "--window=-5m" })]
    [TestCase("--window", new[] { "--window", "5x" })]
    [TestCase("--window", new[] { "--window", "500ms" })]
    [TestCase("--window", new[] { "--window", "0s" })]
    [TestCase("--at", new[] { "--at", "yesterday" })]
    [TestCase("--at", new[] { "--at", "2026-11-25 12:00" })]
    [TestCase("--at", new[] { "--at", "2026-11-25T12:00:00" })] // no offset: which instant would that be?
    [TestCase("--at", new[] { "--at", "2999-01-01T00:00:00Z" })]
    [TestCase("--at", new[] { "--at", "99999999999" })]
    [TestCase("--service", new[] { "--service", " " })]
    [TestCase("--traces", new[] { "--traces=0" })]
    [TestCase("--traces", new[] { "--traces=1001" })]
    [TestCase("--fail-on", new[] { "--fail-on", "error" })]
    [TestCase("--timeout", new[] { "--timeout=0" })]
    [TestCase("--timeout", new[] { "--timeout=-2.5" })]
    public async Task RunAsync_BadOption_Exit2OneLineNothingAsked(string option, string[] args)
    {
        var metrics = new FakeMetricsAnalyzer();
        var traces = new FakeTracesAnalyzer();
        using var run = await DetectorRun.StartAsync(metrics, traces, args);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage), run.ToString());
            Assert.That(run.StderrLines, Has.Length.EqualTo(1), run.ToString());
            Assert.That(run.Stderr, Does.StartWith($"bottleneck_detector: {option} '"));
            Assert.That(run.Stdout, Is.Empty);
            Assert.That(metrics.Calls + traces.Calls, Is.Zero, "nothing may be asked before the options are valid");
        });
    }

    [Test]
    public async Task RunAsync_OutputIsAFile_Exit2NamesOutput()
    {
        string file = Path.GetTempFileName();
        try
        {
            var metrics = new FakeMetricsAnalyzer();
            var traces = new FakeTracesAnalyzer();
            using var run = await DetectorRun.StartAsync(metrics, traces, "--output", Path.Combine(file, "sub"));

            Assert.Multiple(() =>
            {
                Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage), run.ToString());
                Assert.That(run.StderrLines, Has.Length.EqualTo(1));
                Assert.That(run.Stderr, Does.StartWith("bottleneck_detector: --output '"));
                Assert.That(metrics.Calls + traces.Calls, Is.Zero);
            });
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task RunAsync_ValidOptions_AnalyzersGetThem()
    {
        var metrics = new FakeMetricsAnalyzer();
        var traces = new FakeTracesAnalyzer();
        using var run = await DetectorRun.StartAsync(metrics, traces,
            "--prometheus-url", "https://prom.example.test/prometheus", "--threshold-ms", "250.5", "--at", "2026-11-25T13:00:00+01:00",
            "--window", "1h30m", "--service", "forum-api", "--traces", "50", "--fail-on", "WARNING", "--timeout", "2.5");

        var s = metrics.Settings;
        Assert.That(s, Is.Not.Null, run.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(s!.PrometheusUrl, Is.EqualTo(new Uri("https://prom.example.test/prometheus")));
            Assert.That(s.JaegerUrl, Is.EqualTo(new Uri("http://localhost:16686")));
            Assert.That(s.ThresholdMs, Is.EqualTo(250.5));
            Assert.That(s.At, Is.EqualTo(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero)));
            Assert.That(s.Window, Is.EqualTo(TimeSpan.FromMinutes(90)));
            Assert.That(s.WindowText, Is.EqualTo("1h30m"));
            Assert.That(s.Service, Is.EqualTo("forum-api"));
            Assert.That(s.Traces, Is.EqualTo(50));
            Assert.That(s.FailOn, Is.EqualTo(Severity.Warning));
            Assert.That(s.TimeoutSeconds, Is.EqualTo(2.5));
            Assert.That(traces.Settings, Is.EqualTo(s));
        });
    }

    [Test]
    public async Task RunAsync_Defaults_AreTheDocumentedOnes()
    {
        var metrics = new FakeMetricsAnalyzer();
        using var run = await DetectorRun.StartAsync(metrics, new FakeTracesAnalyzer());

        var s = metrics.Settings;
        Assert.That(s, Is.Not.Null, run.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(s!.PrometheusUrl, Is.EqualTo(new Uri("http://localhost:9090")));
            Assert.That(s.ThresholdMs, Is.EqualTo(500));
            Assert.That(s.At, Is.Null);
            Assert.That(s.WindowText, Is.EqualTo("5m"));
            Assert.That(s.Service, Is.Null);
            Assert.That(s.Traces, Is.EqualTo(20));
            Assert.That(s.FailOn, Is.EqualTo(Severity.Critical));
            Assert.That(s.TimeoutSeconds, Is.EqualTo(10));
        });
    }

    [TestCase("1764072000", 1764072000_000L)]
    [TestCase("1764072000.25", 1764072000_250L)]
    [TestCase("2025-11-25T12:00:00Z", 1764072000_000L)]
    [TestCase("2025-11-25t13:00:00.5+01:00", 1764072000_500L)]
    public void ParseInstant_Rfc3339OrUnixSeconds_SameInstant(string text, long unixMs)
    {
        Assert.That(OptionValidator.ParseInstant(text), Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(unixMs)));
    }
}
