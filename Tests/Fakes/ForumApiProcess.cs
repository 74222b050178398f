using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace PerfTools.Tests.Fakes;

/// <summary>Runs the sample Forum API as a child process on a free 127.0.0.1 port, for tests that need a real target.</summary>
public sealed partial class ForumApiProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan GracefulStopTimeout = TimeSpan.FromSeconds(5);
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _output;
    private int _disposed;

    private ForumApiProcess(Process process, StringBuilder output, Uri baseUrl)
    {
        _process = process;
        _output = output;
        BaseUrl = baseUrl;
        Pid = process.Id;
    }

    /// <summary>Where the API listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The child's process id (the dotnet host runs the app in-process), e.g. for /proc/PID/status.</summary>
    public int Pid { get; }

    /// <summary>Starts forum_api.dll from the test output folder and waits for its "listening on" line.</summary>
    /// <param name="fixedMode">Pass --fixed: all four deliberate bottlenecks off.</param>
    /// <param name="seed">Pass --seed N when above 0.</param>
    /// <param name="extraArgs">Appended as is, e.g. "--db", path.</param>
    public static async Task<ForumApiProcess> StartAsync(bool fixedMode = false, int seed = 0, params string[] extraArgs)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "forum_api.dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException("forum_api.dll is not in the test output folder; does Tests.csproj reference samples/ForumApi?", dll);

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add("http://127.0.0.1:0");
        if (fixedMode)
            info.ArgumentList.Add("--fixed");
        if (seed > 0)
        {
            info.ArgumentList.Add("--seed");
            info.ArgumentList.Add(seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var arg in extraArgs)
            info.ArgumentList.Add(arg);
        // The child must not inherit a test runner's environment name and start logging as Development.
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var output = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (output)
                output.AppendLine(e.Data);
            var match = ListeningLine().Match(e.Data);
            if (match.Success)
                listening.TrySetResult(new Uri(match.Groups["url"].Value.TrimEnd('/') + "/"));
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (output)
                output.AppendLine(e.Data);
        };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("forum_api exited before listening"));

        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            var baseUrl = await listening.Task.WaitAsync(StartTimeout);
            return new ForumApiProcess(process, output, baseUrl);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            await StopAsync(process);
            process.Dispose();
            string captured;
            lock (output)
                captured = output.ToString();
            throw new InvalidOperationException(
                $"forum_api did not report 'listening on' within {StartTimeout.TotalSeconds:0} s ({ex.Message}). Output:\n{captured}", ex);
        }
    }

    /// <summary>Asks the API to stop (SIGTERM, so it deletes its temp DB), then kills the tree if it lingers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;

        try
        {
            await StopAsync(_process);
        }
        finally
        {
            _process.Dispose();
        }
    }

    public override string ToString()
    {
        lock (_output)
            return $"forum_api pid {Pid} at {BaseUrl}\n{_output}";
    }

    private static async Task StopAsync(Process process)
    {
        try
        {
            if (process.HasExited)
                return;
            if (!OperatingSystem.IsWindows())
                _ = Kill(process.Id, SigTerm);
            using var wait = new CancellationTokenSource(GracefulStopTimeout);
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // The process is already gone: nothing left to stop.
        }
    }

    [GeneratedRegex(@"listening on (?<url>https?://\S+)")]
    private static partial Regex ListeningLine();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
