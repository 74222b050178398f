using System.Diagnostics;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Http;
using PerfTools.Shared.Reports.Simulation;
using PerfTools.Tests.BottleneckSimulator;
using PerfTools.Tests.Http;

namespace PerfTools.Tests.Hardening;

/// <summary>simulate_bottleneck's load scenario against faulty targets: every failed request is counted by kind in
/// the console summary and the JSON report, and a scenario ends on time however the server stalls.</summary>
public class SimulatorFaultTests
{
    public static IEnumerable<TestCaseData> TargetFaults()
    {
        yield return Fault("reset mid-response", _ => FaultyResponses.ResetMidBody, ErrorKind.Reset);
        yield return Fault("headers over 64 KiB", _ => FaultyResponses.HugeHeaders, ErrorKind.Protocol);
        yield return Fault("Content-Length: banana", _ => FaultyResponses.MalformedContentLength, ErrorKind.Protocol);
        yield return Fault("redirect to another origin", port => ctx => FaultyResponses.Redirect(ctx, $"http://127.0.0.1:{port}/boards"), ErrorKind.Redirect);
        yield return Fault("trickles 1 byte / 200 ms", _ => FaultyResponses.TrickleBody(TimeSpan.FromMilliseconds(200)), ErrorKind.Timeout);
        yield return Fault("never answers", _ => ctx => ctx.NeverAnswerAsync(), ErrorKind.Timeout);

        static TestCaseData Fault(string name, Func<int, Func<LoopbackContext, Task>> handler, ErrorKind kind) =>
            new TestCaseData(handler, kind).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(TargetFaults))]
    [Category("Slow")]
    public async Task RunAsync_FaultyTarget_EveryRequestCountedByKindOnTime(Func<int, Func<LoopbackContext, Task>> handler, ErrorKind kind)
    {
        await using var other = LoopbackServer.Start(200, "another origin");
        await using var server = LoopbackServer.Start(handler(other.Port));

        var clock = Stopwatch.StartNew();
        using var run = await SimulatorRun.StartAsync("--base-url", server.BaseUrl.ToString(), "--scenario", "load",
            "--duration", "1", "--rps", "4", "--timeout", "1", "--header", "Authorization: Bearer s3cret");
        clock.Stop();

        SimulationStats stats = SimulationJson.ReadFile(run.Report("load", "json") ?? throw new AssertionException(run.ToString()));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString());
            Assert.That(stats.Requests, Is.EqualTo(4));
            Assert.That(stats.ErrorsByKind, Is.EqualTo(new Dictionary<string, long> { [kind.ToString()] = 4 }));
            Assert.That(run.Stdout, Does.Contain($"errors: {kind}×4"));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(6)), "1 s of sending, then at most the 1 s timeout, then reports");
            Assert.That(other.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_HostDoesNotResolve_UnreachableAtOnce()
    {
        using var run = await SimulatorRun.StartAsync(
            "--base-url", FaultyResponses.UnresolvableBaseUrl, "--scenario", "all", "--duration", "5", "--rps", "20");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString());
            Assert.That(run.StderrLines, Is.EqualTo(new[] { $"unreachable: {FaultyResponses.UnresolvableBaseUrl} (host name not found)" }));
            Assert.That(run.Requests.Select(r => r.Error).Distinct(), Is.EqualTo(new[] { ErrorKind.Dns }));
            Assert.That(run.Report("n_plus_1", "json"), Is.Null, "the other scenarios are skipped");
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    [Category("Slow")]
    public async Task RunAsync_SelfSignedTarget_RefusedUnlessInsecure(bool insecure)
    {
        await using var server = LoopbackServer.StartTls(TestCertificate.SelfSigned, ctx => ctx.RespondAsync(200, "[]"));
        string[] args = ["--base-url", server.BaseUrl.ToString(), "--scenario", "load", "--duration", "1", "--rps", "3"];
        using var run = await SimulatorRun.StartAsync(insecure ? [.. args, "--insecure"] : args);

        SimulationStats stats = SimulationJson.ReadFile(run.Report("load", "json") ?? throw new AssertionException(run.ToString()));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(insecure ? ExitCodes.Ok : ExitCodes.Failed), run.ToString());
            Assert.That(stats.ErrorsByKind, insecure ? Is.Empty : Is.EqualTo(new Dictionary<string, long> { ["Protocol"] = 3 }));
            Assert.That(server.Requests, Has.Count.EqualTo(insecure ? 3 : 0));
            Assert.That(run.Requests.Select(r => r.ErrorMessage),
                insecure ? Has.All.Null : Has.All.Contain("rejected").And.All.Contain("use --insecure"));
        });
    }

    [Test]
    [Category("Slow")]
    public async Task RunAsync_TenMegabyteAnswers_BytesCountedRequestsSucceed()
    {
        await using var server = LoopbackServer.Start(FaultyResponses.LargeBody(FaultyResponses.TenMegabytes, declareLength: false));
        using var run = await SimulatorRun.StartAsync(
            "--base-url", server.BaseUrl.ToString(), "--scenario", "load", "--duration", "1", "--rps", "3", "--timeout", "5");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(run.Requests.Select(r => r.Bytes), Is.EqualTo(Enumerable.Repeat((long)FaultyResponses.TenMegabytes, 3)));
        });
    }
}
