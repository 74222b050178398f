using System.Diagnostics;
using PerfTools.Tests.Fakes;

namespace PerfTools.Tests.Launchers;

/// <summary>The root launchers as a user meets them: a fresh clone, no build output, one command.</summary>
[TestFixture]
[Category("Slow")]
[NonParallelizable]
public class LauncherTests
{
    private string clone = "";

    [OneTimeSetUp]
    public void CloneRepository()
    {
        // A worktree's .git is a file, a clone's a folder: either can be cloned.
        var git = Path.Combine(RepositoryRoot.Path, ".git");
        if (!Directory.Exists(git) && !File.Exists(git))
        {
            Assert.Ignore("the repository is not a git checkout, so there is nothing to clone");
        }

        clone = Path.Combine(Path.GetTempPath(), "perftools-clone-" + Guid.NewGuid().ToString("N"));
        var (code, output) = Run("git", $"clone -q \"{RepositoryRoot.Path}\" \"{clone}\"", RepositoryRoot.Path, TimeSpan.FromMinutes(1));
        Assert.That(code, Is.Zero, output);
    }

    [OneTimeTearDown]
    public void RemoveClone()
    {
        if (clone.Length > 0 && Directory.Exists(clone))
        {
            Directory.Delete(clone, recursive: true);
        }
    }

    [Test]
    public async Task ForumApi_FreshClone_BuildsAndServesHealth()
    {
        using var process = Start(Path.Combine(clone, "forum_api"), "--urls http://127.0.0.1:0", clone);
        try
        {
            var baseUrl = await WaitForListeningLine(process, TimeSpan.FromMinutes(4));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var response = await http.GetAsync(new Uri(new Uri(baseUrl), "/health"));
            var body = await response.Content.ReadAsStringAsync();

            Assert.That((int)response.StatusCode, Is.EqualTo(200));
            Assert.That(body, Does.Contain("\"ok\""));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Test]
    public void Launcher_SecondCallUnchanged_DoesNotRebuild()
    {
        var launcher = Path.Combine(clone, "bottleneck_detector");
        var first = Run(launcher, "--help", clone, TimeSpan.FromMinutes(4));
        var second = Run(launcher, "--help", clone, TimeSpan.FromMinutes(1));

        Assert.That(first.Code, Is.Zero, first.Output);
        Assert.That(second.Code, Is.Zero, second.Output);
        Assert.That(second.Output, Does.Not.Contain("building"));
        Assert.That(second.Output, Does.Contain("--prometheus-url"));
    }

    [Test]
    public void Launcher_SourceChanged_Rebuilds()
    {
        var launcher = Path.Combine(clone, "bottleneck_detector");
        Assert.That(Run(launcher, "--help", clone, TimeSpan.FromMinutes(4)).Code, Is.Zero);
        File.SetLastWriteTimeUtc(Path.Combine(clone, "BottleneckDetector", "Program.cs"), DateTime.UtcNow);

        var again = Run(launcher, "--help", clone, TimeSpan.FromMinutes(4));

        Assert.That(again.Code, Is.Zero, again.Output);
        Assert.That(again.Output, Does.Contain("building"));
    }

    private static Process Start(string file, string arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
    }

    private static (int Code, string Output) Run(string file, string arguments, string workingDirectory, TimeSpan timeout)
    {
        using var process = Start(file, arguments, workingDirectory);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {arguments} did not finish within {timeout}");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static async Task<string> WaitForListeningLine(Process process, TimeSpan timeout)
    {
        const string marker = "listening on ";
        using var cts = new CancellationTokenSource(timeout);
        var seen = new System.Text.StringBuilder();
        _ = Task.Run(async () => seen.Append(await process.StandardError.ReadToEndAsync(cts.Token)), cts.Token);
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(cts.Token);
            if (line == null)
            {
                Assert.Fail($"forum_api exited before listening: {seen}");
            }

            seen.AppendLine(line);
            var at = line!.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                return line[(at + marker.Length)..].Split(' ')[0];
            }
        }
    }
}
