using PerfTools.BottleneckDetector;
using PerfTools.BottleneckDetector.Database;

namespace PerfTools.Tests.BottleneckDetector.App;

/// <summary>One in-process run of <see cref="DetectorApp.RunAsync"/> with fake analyzers, captured output and its own
/// report folder (deleted on dispose).</summary>
internal sealed class DetectorRun : IDisposable
{
    private DetectorRun(int exitCode, string stdout, string stderr, string outputFolder)
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
    /// <param name="metrics">Null for the real Prometheus analyzer (against a loopback server).</param>
    /// <param name="traces">Null for the real Jaeger analyzer.</param>
    public static Task<DetectorRun> StartAsync(
        IMetricsAnalyzer? metrics, ITracesAnalyzer? traces, CancellationToken stop, params string[] args) =>
        StartAsync(metrics, traces, null, stop, args);

    /// <param name="database">Null for the real database side (which asks nothing without --database-url).</param>
    public static async Task<DetectorRun> StartAsync(
        IMetricsAnalyzer? metrics, ITracesAnalyzer? traces, IDatabaseAnalyzer? database, CancellationToken stop, params string[] args)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"bd-test-{Guid.NewGuid():N}");
        string[] full = args.Contains("--output") ? args : [.. args, "--output", folder];
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        limit.CancelAfter(TimeSpan.FromSeconds(60)); // a hung run fails its test instead of the whole suite
        int code = await DetectorApp.RunAsync(full, stdout, stderr, limit.Token, metrics, traces, database: database);
        return new DetectorRun(code, stdout.ToString(), stderr.ToString(), folder);
    }

    public static Task<DetectorRun> StartAsync(IMetricsAnalyzer? metrics, ITracesAnalyzer? traces, params string[] args) =>
        StartAsync(metrics, traces, CancellationToken.None, args);

    /// <summary>The one report file of <paramref name="prefix"/> and <paramref name="extension"/>, or null.</summary>
    public string? Report(string prefix, string extension) =>
        Directory.Exists(OutputFolder) ? Directory.GetFiles(OutputFolder, $"{prefix}*{extension}").SingleOrDefault() : null;

    /// <summary>The lines under <c>== heading ==</c>, up to the blank line that ends the section.</summary>
    public string[] Section(string heading)
    {
        string start = $"== {heading} ==\n";
        int at = Stdout.IndexOf(start, StringComparison.Ordinal);
        if (at < 0)
        {
            return [];
        }

        string rest = Stdout[(at + start.Length)..];
        int end = rest.IndexOf("\n\n", StringComparison.Ordinal);
        return (end < 0 ? rest : rest[..end]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToArray();
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    public void Dispose()
    {
        if (Directory.Exists(OutputFolder))
        {
            Directory.Delete(OutputFolder, recursive: true);
        }
    }
}
