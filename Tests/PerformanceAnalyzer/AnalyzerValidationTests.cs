using PerfTools.Shared.Cli;
using PerfTools.Tests.Http;

namespace PerfTools.Tests.PerformanceAnalyzer;

/// <summary>Every bad value is refused before anything is sent: exit 2, one stderr line naming the option.</summary>
public class AnalyzerValidationTests
{
    private static readonly string MissingFile = Path.Combine(Path.GetTempPath(), $"pa-missing-{Guid.NewGuid():N}.json");

    [TestCase("--base-url", new[] { "--base-url", "ftp://127.0.0.1/", "--test-all" })]
    [TestCase("--base-url", new[] { "--base-url", "localhost:8080", "--test-all" })]
    [TestCase("--jaeger-url", new[] { "--jaeger-url", "not a url", "--test-all" })]
    [TestCase("--iterations", new[] { "--iterations=0", "--test-all" })]
    [TestCase("--concurrency", new[] { "--concurrency=0", "--test-all" })]
    [TestCase("--delay-ms", new[] { "--delay-ms=-1", "--test-all" })]
    [TestCase("--warmup", new[] { "--warmup=-1", "--test-all" })]
    [TestCase("--warmup", new[] { "--warmup", "auto2", "--test-all" })]
    [TestCase("--timeout", new[] { "--timeout=0", "--test-all" })]
    [TestCase("--timeout", new[] { "--timeout=-2.5", "--test-all" })]
    [TestCase("--max-p95-ms", new[] { "--max-p95-ms=0", "--test-all" })]
    [TestCase("--header", new[] { "--header", "NoColonHere", "--test-all" })]
    [TestCase("--header", new[] { "--header", "Bad Name: x", "--endpoint", "/x" })]
    [TestCase("--method", new[] { "--method", "G T", "--endpoint", "/x" })]
    [TestCase("--endpoint", new[] { "--endpoint", "boards" })]
    [TestCase("--endpoint", new[] { "--endpoint", "/x", "--test-all" })]
    [TestCase("--test-all/--endpoint", new string[0])]
    [TestCase("--data", new[] { "--test-all", "--data", "{}" })]
    public async Task RunAsync_BadOption_Exit2OneLineNothingSent(string option, string[] args)
    {
        await using var server = LoopbackServer.Start(200, "{}");
        string[] full = args.Contains("--base-url") ? args : [.. args, "--base-url", server.BaseUrl.ToString()];
        using var run = await AnalyzerRun.StartAsync(full);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage), run.ToString());
            Assert.That(run.StderrLines, Has.Length.EqualTo(1), run.ToString());
            Assert.That(run.Stderr, Does.StartWith($"performance_analyzer: {option}"));
            Assert.That(run.Stdout, Is.Empty);
            Assert.That(server.Requests, Is.Empty, "nothing may be sent before the options are valid");
        });
    }

    [Test]
    public async Task RunAsync_DataFileMissing_Exit2NamesData()
    {
        await using var server = LoopbackServer.Start(200, "{}");
        using var run = await AnalyzerRun.StartAsync(
            "--endpoint", "/x", "--method", "POST", "--data", "@" + MissingFile, "--base-url", server.BaseUrl.ToString());

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
            Assert.That(run.StderrLines, Has.Length.EqualTo(1));
            Assert.That(run.Stderr, Does.StartWith($"performance_analyzer: --data '@{MissingFile}': "));
            Assert.That(server.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_OutputUnderAFile_Exit2NamesOutput()
    {
        await using var server = LoopbackServer.Start(200, "{}");
        string file = Path.GetTempFileName();
        try
        {
            string output = Path.Combine(file, "reports");
            using var run = await AnalyzerRun.StartAsync("--test-all", "--base-url", server.BaseUrl.ToString(), "--output", output);

            Assert.Multiple(() =>
            {
                Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
                Assert.That(run.StderrLines, Has.Length.EqualTo(1));
                Assert.That(run.Stderr, Does.StartWith($"performance_analyzer: --output '{output}': "));
                Assert.That(server.Requests, Is.Empty);
            });
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task RunAsync_Help_Exit0()
    {
        using var run = await AnalyzerRun.StartAsync("--help");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok));
            Assert.That(run.Stdout, Does.Contain("--test-all"));
        });
    }
}
