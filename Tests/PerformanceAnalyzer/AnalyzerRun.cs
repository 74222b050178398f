using System.Net;
using System.Net.Sockets;
using PerfTools.PerformanceAnalyzer;

namespace PerfTools.Tests.PerformanceAnalyzer;

/// <summary>One in-process run of <see cref="AnalyzerApp.RunAsync"/> with captured output and its own report folder
/// (deleted on dispose).</summary>
internal sealed class AnalyzerRun : IDisposable
{
    private AnalyzerRun(int exitCode, string stdout, string stderr, string outputFolder)
    {
        ExitCode = exitCode;
        Stdout = stdout;
        Stderr = stderr;
        OutputFolder = outputFolder;
    }

    public int ExitCode { get; }

    public string Stdout { get; }

    public string Stderr { get; }

    public string OutputFolder { get; }

    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Runs with <paramref name="args"/> plus <c>--output</c> (a fresh temp folder) unless args give one.</summary>
    public static Task<AnalyzerRun> StartAsync(params string[] args) => StartAsync(CancellationToken.None, args);

    /// <summary>As <see cref="StartAsync(string[])"/>, with <paramref name="stop"/> standing in for Ctrl+C.</summary>
    public static async Task<AnalyzerRun> StartAsync(CancellationToken stop, params string[] args)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"pa-test-{Guid.NewGuid():N}");
        string[] full = args.Contains("--output") ? args : [.. args, "--output", folder];
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        // A hung run fails its test instead of the whole suite.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        int code = await AnalyzerApp.RunAsync(full, stdout, stderr, limit.Token);
        return new AnalyzerRun(code, stdout.ToString(), stderr.ToString(), folder);
    }

    /// <summary>Fast defaults for tests: three measured requests, no warm-up, no pauses, Jaeger on a closed port;
    /// an option in <paramref name="more"/> replaces its default (the tools refuse an option given twice).</summary>
    public static string[] Quick(string baseUrl, params string[] more)
    {
        string[] defaults =
        [
            "--base-url", baseUrl, "--iterations", "3", "--delay-ms", "0", "--warmup", "0",
            "--jaeger-url", $"http://127.0.0.1:{ClosedPort()}",
        ];
        var args = new List<string>();
        for (int i = 0; i < defaults.Length; i += 2)
        {
            if (!more.Contains(defaults[i]))
            {
                args.Add(defaults[i]);
                args.Add(defaults[i + 1]);
            }
        }

        return [.. args, .. more];
    }

    /// <summary>A port nothing listens on: bound and released, so connecting is refused at once.</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The one report file of <paramref name="prefix"/> (e.g. "performance_summary_") and
    /// <paramref name="extension"/> (e.g. ".png", any when empty), or null.</summary>
    public string? Report(string prefix, string extension = "") =>
        Directory.Exists(OutputFolder) ? Directory.GetFiles(OutputFolder, prefix + "*" + extension).SingleOrDefault() : null;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    public void Dispose()
    {
        if (Directory.Exists(OutputFolder))
        {
            Directory.Delete(OutputFolder, recursive: true);
        }
    }
}
