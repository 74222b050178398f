using PerfTools.BottleneckDetector;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Tracing;

namespace PerfTools.Tests.BottleneckDetector.App;

/// <summary>Answers with a fixed <see cref="TracesAnalysis"/> (or throws, or waits for cancellation) and records the calls.</summary>
internal sealed class FakeTracesAnalyzer(TracesAnalysis? result = null, Exception? error = null, bool hang = false) : ITracesAnalyzer
{
    public int Calls { get; private set; }

    public DetectorSettings? Settings { get; private set; }

    public static TracesAnalysis Reachable(IReadOnlyList<Finding> findings) => new(
        new SourceStatus("http://127.0.0.1:16686/", true, "v3"), ["forum-api"], 20, findings);

    public static TracesAnalysis Unreachable(string message = "connection refused") => new(
        new SourceStatus("http://127.0.0.1:16686/", false, Message: message), [], 0, []);

    public async Task<TracesAnalysis> AnalyzeAsync(DetectorSettings settings, CancellationToken ct)
    {
        Calls++;
        Settings = settings;
        if (hang)
        {
            await Task.Delay(Timeout.Infinite, ct);
        }

        await Task.Yield();
        return error is not null ? throw error : result ?? Unreachable();
    }
}
