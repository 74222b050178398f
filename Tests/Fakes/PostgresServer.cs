using System.Diagnostics;

namespace PerfTools.Tests.Fakes;

/// <summary>A throwaway PostgreSQL cluster on a free 127.0.0.1 port, started with <c>scripts/throwaway-postgres</c> (the
/// same way scripts start one) and deleted on dispose. Start one per fixture: a cluster takes ~2 s.</summary>
public sealed class PostgresServer : IAsyncDisposable
{
    // Generous: on a machine without PostgreSQL the script installs it with apt first.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);
    private const int ExitMissing = 3; // the script's "PostgreSQL is missing and cannot be installed here"

    private readonly string _folder;
    private int _disposed;

    private PostgresServer(string folder, string url)
    {
        _folder = folder;
        Url = url;
        var uri = new Uri(url);
        Password = Uri.UnescapeDataString(uri.UserInfo[(uri.UserInfo.IndexOf(':') + 1)..]);
        Port = uri.Port;
    }

    /// <summary>postgres://postgres:PASSWORD@127.0.0.1:PORT/forum, as forum_api --db takes it.</summary>
    public string Url { get; }

    /// <summary>The cluster's random superuser password, so tests can check that nothing prints it.</summary>
    public string Password { get; }

    public int Port { get; }

    /// <summary>The URL with another password, for the wrong-password case.</summary>
    public string UrlWithPassword(string password) => Url.Replace(":" + Password + "@", ":" + password + "@", StringComparison.Ordinal);

    /// <summary>Starts a cluster; when PostgreSQL is not installed and cannot be installed here (not root), the test is
    /// skipped with the script's one-line reason, or fails under <c>CI=true</c>.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"perftools-postgres-{Guid.NewGuid():N}");
        var (code, stdout, stderr) = await RunScriptAsync(StartTimeout, "start", folder);
        if (code == ExitMissing)
        {
            var message = $"PostgreSQL is not available: {stderr.Trim()}";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(message + " (CI=true: a missing PostgreSQL fails the run instead of skipping its tests)");
            }

            Assert.Ignore(message);
        }

        var url = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (code != 0 || url is null || !url.StartsWith("postgres://", StringComparison.Ordinal))
        {
            await RunScriptAsync(StopTimeout, "stop", folder);
            throw new InvalidOperationException($"scripts/throwaway-postgres start failed (exit {code}): {stderr.Trim()}");
        }

        return new PostgresServer(folder, url);
    }

    /// <summary>Stops the server and deletes its folder; safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        var (code, _, stderr) = await RunScriptAsync(StopTimeout, "stop", _folder);
        if (code != 0)
        {
            await TestContext.Error.WriteLineAsync($"scripts/throwaway-postgres stop {_folder} failed (exit {code}): {stderr.Trim()}");
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunScriptAsync(TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "scripts", "throwaway-postgres"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start bash");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, await stdout, $"timed out after {timeout.TotalSeconds:0} s. {await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    public override string ToString() => $"PostgreSQL on 127.0.0.1:{Port}";
}
