using System.Diagnostics;
using PerfTools.BottleneckDetector.Rules;
using PerfTools.Tests.Http;
using static PerfTools.Tests.BottleneckDetector.Rules.PromData;

namespace PerfTools.Tests.BottleneckDetector.Rules;

/// <summary>The performance_analyzer command a finding prints runs as printed: the base URL from the one instance the
/// metrics name, else a placeholder its text explains.</summary>
public class AnalyzerCommandTests
{
    private static readonly TargetFacts Known = TargetFacts.Unknown with { BaseUrls = ["http://10.0.0.7:8080"] };

    [Test]
    public void For_KnownInstance_CommandRunsAsPrinted()
    {
        Assert.That(AnalyzerCommand.For("/boards/1/posts", Known),
            Is.EqualTo("./performance_analyzer --base-url http://10.0.0.7:8080 --endpoint '/boards/1/posts' --iterations 50"));
    }

    [Test]
    public void For_NoInstance_PlaceholderExplained()
    {
        Assert.That(AnalyzerCommand.For("GET /slow", TargetFacts.Unknown), Is.EqualTo(
            "./performance_analyzer --base-url BASE_URL --endpoint '/slow' --iterations 50 " +
            "(BASE_URL: where the API listens, e.g. http://localhost:8080; the metrics do not say)"));
    }

    [Test]
    public void For_SeveralInstances_PlaceholderNamesThem()
    {
        var facts = TargetFacts.Unknown with { BaseUrls = ["http://10.0.0.7:8080", "http://10.0.0.8:8080"] };

        Assert.That(AnalyzerCommand.For("/slow", facts), Does.EndWith(
            "(BASE_URL: where the API listens; Prometheus scrapes it at http://10.0.0.7:8080, http://10.0.0.8:8080)"));
    }

    [Test]
    public void For_RouteTemplate_SaysToPutRealIds()
    {
        Assert.That(AnalyzerCommand.For("GET /boards/{id}/posts", Known), Is.EqualTo(
            "./performance_analyzer --base-url http://10.0.0.7:8080 --endpoint '/boards/{id}/posts' --iterations 50 (put real ids in place of the {…} parts)"));
    }

    [Test]
    public void For_PostRoute_MethodAndBodyNote()
    {
        Assert.That(AnalyzerCommand.For("POST /posts", Known), Is.EqualTo(
            "./performance_analyzer --base-url http://10.0.0.7:8080 --endpoint '/posts' --method POST --iterations 50 " +
            "(add --data @FILE, FILE holding a body it accepts)"));
    }

    [Test]
    public void For_TemplateWithoutLeadingSlash_GetsOne()
    {
        Assert.That(AnalyzerCommand.For("api/Orders/{id}", Known), Does.Contain("--endpoint '/api/Orders/{id}'"));
    }

    [TestCase("(service)")]
    [TestCase("(no route)")]
    [TestCase("orders.views.detail")]
    [TestCase("service")]
    [TestCase("")]
    public void For_NotARoute_Null(string target)
    {
        Assert.That(AnalyzerCommand.For(target, Known), Is.Null);
    }

    /// <summary>A route is the server's text: whatever it holds, the shell gives it to --endpoint as one word.</summary>
    [TestCase("/it's/$(id)/`id`/*")]
    [TestCase("/a b")]
    public void For_RouteWithShellSyntax_ShellSeesOneWord(string route)
    {
        if (!File.Exists("/bin/sh"))
        {
            Assert.Ignore("no /bin/sh to parse the command");
        }

        string? command = AnalyzerCommand.For(route, Known);
        if (route.Contains(' ', StringComparison.Ordinal))
        {
            Assert.That(command, Is.Null, "a route with a space is no route");
            return;
        }

        Assert.That(Argv(command!.Replace("./performance_analyzer", "printf '%s\\n'", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            "--base-url", "http://10.0.0.7:8080", "--endpoint", route, "--iterations", "50",
        }));
    }

    [Test]
    public void SlowEndpointAndErrorRate_StepsCarryTheCommand()
    {
        var latency = new PerfTools.Shared.Metrics.LatencyMetric("http_request_duration_seconds", PerfTools.Shared.Metrics.LatencyKind.Histogram, "seconds", 1, "endpoint", null, "code", false);
        var slow = SlowEndpointRule.EvaluateHistogram(By("endpoint", ("/slow", 0.8)), [0.5, 1], latency, "q", new(), Known).Single();
        var errors = ErrorRateRule.Evaluate(By("endpoint", ("/posts", 0.5)), By("endpoint", ("/posts", 2)), "endpoint", TimeSpan.FromMinutes(5), "q", new(), Known).Single();
        var unnamed = SlowEndpointRule.EvaluateHistogram(Vector(Series(0.8)), [0.5, 1], latency with { RouteLabel = null }, "q", new(), Known).Single();

        Assert.Multiple(() =>
        {
            Assert.That(slow.NextSteps, Is.EqualTo(new[] { "measure /slow directly: ./performance_analyzer --base-url http://10.0.0.7:8080 --endpoint '/slow' --iterations 50" }));
            Assert.That(errors.NextSteps, Is.EqualTo(new[]
            {
                "see which requests fail and how: ./performance_analyzer --base-url http://10.0.0.7:8080 --endpoint '/posts' --iterations 50 (errors by kind are listed)",
            }));
            Assert.That(unnamed.NextSteps, Is.EqualTo(new[] { "find the slow route among the slowest traces of the window in Jaeger (http://localhost:16686/search)" }));
        });
    }

    /// <summary>The printed command, split by a real shell, runs the real analyzer against the instance it names.</summary>
    [Test]
    public async Task For_KnownInstance_TheAnalyzerRunsItAgainstThatInstance()
    {
        if (!File.Exists("/bin/sh"))
        {
            Assert.Ignore("no /bin/sh to parse the command");
        }

        await using var target = LoopbackServer.Start(200, "[]");
        var facts = TargetFacts.Unknown with { BaseUrls = [target.BaseUrl.AbsoluteUri.TrimEnd('/')] };
        string command = AnalyzerCommand.For("GET /boards/{id}/posts", facts)!.Replace("{id}", "7", StringComparison.Ordinal);
        string[] argv = Argv(command.Split(" (", 2)[0].Replace("./performance_analyzer", "printf '%s\\n'", StringComparison.Ordinal));
        string folder = Directory.CreateTempSubdirectory("bd-command-").FullName;
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            int code = await PerfTools.PerformanceAnalyzer.AnalyzerApp.RunAsync(
                [.. argv, "--output", folder, "--delay-ms", "0", "--jaeger-url", "http://127.0.0.1:1"], stdout, stderr, CancellationToken.None);

            Assert.That(code, Is.Zero, $"{command}\n{stdout}\n{stderr}");
            Assert.That(target.Requests.Select(r => r.Target).ToList(),
                Has.Count.InRange(50 + 30, 50 + PerfTools.PerformanceAnalyzer.WarmupRule.MaxRequests).And.All.EqualTo("/boards/7/posts"),
                $"50 measured after an auto warm-up (30 to {PerfTools.PerformanceAnalyzer.WarmupRule.MaxRequests})");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string[] Argv(string command)
    {
        using var sh = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command]) { RedirectStandardOutput = true })!;
        string output = sh.StandardOutput.ReadToEnd();
        sh.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
