using System.Diagnostics;

namespace PerfTools.Tests.ForumApi;

/// <summary>One forum_api run that is expected to end by itself (bad input, a database it cannot use): exit code and output.</summary>
internal sealed record ForumApiRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Non-empty stderr lines.</summary>
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Runs forum_api.dll from the test output folder on a free port and waits for it to exit.</summary>
    /// <exception cref="TimeoutException">It did not exit within <paramref name="timeoutSeconds"/> (it was killed).</exception>
    public static async Task<ForumApiRun> RunAsync(string[] args, int timeoutSeconds = 30)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "forum_api.dll"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // A caller's PGPASSWORD must not rescue (or change) a URL under test.
        info.Environment.Remove("PGPASSWORD");

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"forum_api {string.Join(' ', args)} did not exit within {timeoutSeconds} s: {await stdout}{await stderr}");
        }

        return new ForumApiRun(process.ExitCode, await stdout, await stderr);
    }
}
