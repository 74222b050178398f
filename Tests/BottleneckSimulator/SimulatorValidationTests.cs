using PerfTools.Shared.Cli;
using PerfTools.Tests.Http;

namespace PerfTools.Tests.BottleneckSimulator;

/// <summary>Every bad value is refused before anything is sent: exit 2, one stderr line naming the option.</summary>
public sealed class SimulatorValidationTests
{
    private static readonly string MissingFile = Path.Combine(Path.GetTempPath(), $"sim-missing-{Guid.NewGuid():N}.json");

    [TestCase("--rps", new[] { "--rps=-1" })]
    [TestCase("--duration", new[] { "--duration=0" })]
    [TestCase("--duration", new[] { "--duration=-5" })]
    [TestCase("--scenario", new[] { "--scenario", "bogus" })]
    [TestCase("--base-url", new[] { "--base-url", "not a url" })]
    [TestCase("--base-url", new[] { "--base-url", "ftp://127.0.0.1/" })]
    [TestCase("--base-url", new[] { "--base-url", "localhost:8080" })]
    [TestCase("--max-in-flight", new[] { "--max-in-flight=0" })]
    [TestCase("--timeout", new[] { "--timeout=0" })]
    [TestCase("--timeout", new[] { "--timeout=-1.5" })]
    [TestCase("--header", new[] { "--header", "NoColonHere" })]
    [TestCase("--header", new[] { "--header", "Bad Name: x" })]
    [TestCase("--method", new[] { "--method", "G T" })]
    [TestCase("--endpoint", new[] { "--endpoint", "boards" })]
    public async Task RunAsync_BadOption_Exit2OneLineNothingSent(string option, string[] args)
    {
        await using var server = LoopbackServer.Start(200, "{}");
        string[] full = args.Contains("--base-url") ? args : [.. args, "--base-url", server.BaseUrl.ToString()];
        using var run = await SimulatorRun.StartAsync(full);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage), run.ToString());
            Assert.That(run.StderrLines, Has.Length.EqualTo(1), run.ToString());
            Assert.That(run.Stderr, Does.StartWith($"simulate_bottleneck: {option} '"));
            Assert.That(run.Stdout, Is.Empty);
            Assert.That(server.Requests, Is.Empty, "nothing may be sent before the options are valid");
        });
    }

    [Test]
    public async Task RunAsync_DataFileMissing_Exit2NamesData()
    {
        await using var server = LoopbackServer.Start(200, "{}");
        using var run = await SimulatorRun.StartAsync(
            "--scenario", "load", "--method", "POST", "--data", "@" + MissingFile, "--base-url", server.BaseUrl.ToString());

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
            Assert.That(run.StderrLines, Has.Length.EqualTo(1));
            Assert.That(run.Stderr, Does.StartWith($"simulate_bottleneck: --data '@{MissingFile}': "));
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
            using var run = await SimulatorRun.StartAsync("--base-url", server.BaseUrl.ToString(), "--output", output);

            Assert.Multiple(() =>
            {
                Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
                Assert.That(run.StderrLines, Has.Length.EqualTo(1));
                Assert.That(run.Stderr, Does.StartWith($"simulate_bottleneck: --output '{output}': "));
                Assert.That(server.Requests, Is.Empty);
            });
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task RunAsync_UnknownOption_Exit2()
    {
        using var run = await SimulatorRun.StartAsync("--bogus");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
    }

    [Test]
    public async Task RunAsync_Help_ListsTheNewOptionsExit0()
    {
        using var run = await SimulatorRun.StartAsync("--help");
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok));
            Assert.That(run.Stdout, Does.Contain("--max-in-flight").And.Contain("--scenario").And.Contain("--header"));
        });
    }
}
