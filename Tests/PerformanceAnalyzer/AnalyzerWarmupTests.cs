using PerfTools.PerformanceAnalyzer;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports.Analyzer;
using PerfTools.Tests.Http;

namespace PerfTools.Tests.PerformanceAnalyzer;

/// <summary><c>--warmup auto</c> against a loopback server that starts slow and drifts down before it turns fast, as a
/// JIT-compiling or cache-filling service does: the slow start is warmed away, not measured.</summary>
public class AnalyzerWarmupTests
{
    private const int SlowRequests = 40;

    [Test]
    public async Task RunAsync_WarmupAuto_WarmsPastTheSlowStartAndMeasuresTheFastState()
    {
        await using var server = SlowStartServer();
        using var run = await AnalyzerRun.StartAsync(AnalyzerRun.Quick(
            server.BaseUrl.ToString(), "--endpoint", "/x", "--iterations", "20", "--warmup", "auto"));

        var summary = SummaryCsv.ReadFile(run.Report("performance_summary_") ?? throw new AssertionException(run.ToString())).Single();
        var warmup = PerformanceDataJson.ReadWarmupsFile(run.Report("performance_data_")!)["GET /x"];
        string html = File.ReadAllText(run.Report("performance_report_", ".html")!);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(warmup.Requests, Is.InRange(SlowRequests, WarmupRule.MaxRequests), run.ToString());
            Assert.That(server.Requests, Has.Count.EqualTo(warmup.Requests + 20), "so every slow-start request was a warm-up");
            Assert.That(summary.Count, Is.EqualTo(20));
            Assert.That(summary.P50Micros, Is.LessThan(10_000), "the fast state is measured");
            Assert.That(run.Stdout, Does.Contain("warmup"), "the console's warmup column");
            Assert.That(html, Does.Contain("auto: batches of 10"), "the settings table");
            Assert.That(html, Does.Contain("id=\"warmup\""), "the warm-up table");
        });
    }

    [Test]
    public async Task RunAsync_WarmupZero_MeasuresTheSlowStart()
    {
        await using var server = SlowStartServer();
        using var run = await AnalyzerRun.StartAsync(AnalyzerRun.Quick(
            server.BaseUrl.ToString(), "--endpoint", "/x", "--iterations", "10", "--warmup", "0"));

        var summary = SummaryCsv.ReadFile(run.Report("performance_summary_") ?? throw new AssertionException(run.ToString())).Single();
        var warmup = PerformanceDataJson.ReadWarmupsFile(run.Report("performance_data_")!)["GET /x"];
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(server.Requests, Has.Count.EqualTo(10));
            Assert.That(warmup, Is.EqualTo(new Shared.Analysis.WarmupOutcome(0, null)));
            Assert.That(summary.P50Micros, Is.GreaterThan(40_000), "the first requests take 60 ms down to 51 ms");
        });
    }

    [Test]
    public async Task RunAsync_PostWithWarmupAuto_WarmedByFiveOnly()
    {
        await using var server = LoopbackServer.Start(201, """{"id":1}""");
        using var run = await AnalyzerRun.StartAsync(AnalyzerRun.Quick(
            server.BaseUrl.ToString(), "--endpoint", "/items", "--method", "POST", "--data", "{}", "--warmup", "auto"));

        var warmup = PerformanceDataJson.ReadWarmupsFile(run.Report("performance_data_") ?? throw new AssertionException(run.ToString()))["POST /items"];
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(warmup, Is.EqualTo(new Shared.Analysis.WarmupOutcome(WarmupRule.MaxStateChangingRequests, null)));
            Assert.That(server.Requests, Has.Count.EqualTo(WarmupRule.MaxStateChangingRequests + 3));
        });
    }

    /// <summary>The n-th request (from 0) of the first <see cref="SlowRequests"/> takes 60 − n ms, so no three batches of
    /// ten agree while it is slow (a flat slow plateau would rightly count as settled); every later one answers at once.</summary>
    private static LoopbackServer SlowStartServer()
    {
        int seen = 0;
        return LoopbackServer.Start(async ctx =>
        {
            int n = Interlocked.Increment(ref seen) - 1;
            if (n < SlowRequests)
            {
                await Task.Delay(60 - n, ctx.Aborted);
            }

            await ctx.RespondAsync(200, "ok");
        });
    }
}
