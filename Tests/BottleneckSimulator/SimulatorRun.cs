using System.Collections.Concurrent;
using PerfTools.BottleneckSimulator;
using PerfTools.Shared.Http;

namespace PerfTools.Tests.BottleneckSimulator;

/// <summary>One in-process run of <see cref="SimulatorApp"/> with captured output, every request it sent, and its own
/// report folder (deleted on dispose).</summary>
internal sealed class SimulatorRun : IDisposable
{
    private SimulatorRun(int exitCode, string stdout, string stderr, string outputFolder, IReadOnlyList<RequestResult> requests)
    {
        ExitCode = exitCode;
        Stdout = stdout;
        Stderr = stderr;
        OutputFolder = outputFolder;
        Requests = requests;
    }

    public int ExitCode { get; }

    public string Stdout { get; }

    public string Stderr { get; }

    public string OutputFolder { get; }

    /// <summary>Every request the run sent, setup included, as measured.</summary>
    public IReadOnlyList<RequestResult> Requests { get; }

    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Runs with <paramref name="args"/> plus <c>--output</c> (a fresh temp folder) and <c>--warmup 0</c> (so a
    /// test not about the warm-up takes no longer than its <c>--duration</c>) unless args give them.</summary>
    public static Task<SimulatorRun> StartAsync(params string[] args) => StartAsync(CancellationToken.None, args);

    /// <summary>As <see cref="StartAsync(string[])"/>, with <paramref name="stop"/> standing in for Ctrl+C.</summary>
    public static async Task<SimulatorRun> StartAsync(CancellationToken stop, params string[] args)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"sim-test-{Guid.NewGuid():N}");
        string[] full = args.Contains("--output") ? args : [.. args, "--output", folder];
        full = full.Any(a => a.StartsWith("--warmup", StringComparison.Ordinal)) ? full : [.. full, "--warmup", "0"];
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var requests = new ConcurrentQueue<RequestResult>();
        // A hung run fails its test instead of the whole suite.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        int code = await SimulatorApp.RunAsync(full, stdout, stderr, limit.Token, interactive: false, requests.Enqueue);
        return new SimulatorRun(code, stdout.ToString(), stderr.ToString(), folder, requests.ToArray());
    }

    /// <summary>How many requests had <paramref name="label"/> (<c>GET /posts/{id}</c>).</summary>
    public int Count(string label) => Requests.Count(r => r.Label == label);

    /// <summary>The one report of <paramref name="scenario"/> with <paramref name="extension"/>, or null.</summary>
    public string? Report(string scenario, string extension) =>
        Directory.Exists(OutputFolder)
            ? Directory.GetFiles(OutputFolder, $"simulation_{scenario}_*.{extension}").SingleOrDefault()
            : null;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    public void Dispose()
    {
        if (Directory.Exists(OutputFolder))
        {
            Directory.Delete(OutputFolder, recursive: true);
        }
    }
}
