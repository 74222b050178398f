using System.Diagnostics;
using System.Text.RegularExpressions;
using PerfTools.Tests.Fakes;

namespace PerfTools.Tests.ForumApi;

/// <summary>The shared test helper other suites rely on: it starts on a free loopback port and stops cleanly.</summary>
[TestFixture]
public sealed class ForumApiProcessTests
{
    [Test]
    public async Task StartAsync_Default_ListensOnLoopbackAndDisposeStopsIt()
    {
        int pid;
        string dbPath;
        await using (var api = await ForumApiProcess.StartAsync())
        {
            pid = api.Pid;
            dbPath = Regex.Match(api.ToString(), @"\(db: (?<path>.+), fixed: ").Groups["path"].Value;
            using var client = new HttpClient { BaseAddress = api.BaseUrl };
            using var response = await client.GetAsync("health");

            using (Assert.EnterMultipleScope())
            {
                Assert.That(api.BaseUrl.Host, Is.EqualTo("127.0.0.1"));
                Assert.That(api.BaseUrl.Port, Is.Not.EqualTo(0));
                Assert.That(response.IsSuccessStatusCode, Is.True);
                Assert.That(File.Exists(dbPath), Is.True, $"temp db '{dbPath}' exists while running");
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(IsRunning(pid), Is.False, "process still running after dispose");
            // Dispose sends SIGTERM first, so the API gets to delete its temp database.
            Assert.That(File.Exists(dbPath), Is.False, $"temp db '{dbPath}' left behind");
        }
    }

    [Test]
    public void StartAsync_BadArgument_FailsWithCapturedOutput()
    {
        var ex = Assert.ThrowsAsync<InvalidOperationException>(async () => await ForumApiProcess.StartAsync(false, 0, "--no-such-option"));

        Assert.That(ex!.Message, Does.Contain("unknown option '--no-such-option'"));
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
