using PerfTools.BottleneckDetector;
using PerfTools.Shared.Analysis;

namespace PerfTools.Tests.BottleneckDetector.App;

/// <summary>Answers with a fixed <see cref="MetricsAnalysis"/> (or throws, or waits for cancellation) and records the calls.</summary>
internal sealed class FakeMetricsAnalyzer(MetricsAnalysis? result = null, Exception? error = null, bool hang = false) : IMetricsAnalyzer
{
    public int Calls { get; private set; }

    public DetectorSettings? Settings { get; private set; }

    public static MetricsAnalysis Reachable(IReadOnlyList<Finding> findings, IReadOnlyList<RouteLatency>? p95 = null, IReadOnlyList<MemoryPoint>? memory = null) => new(
        new SourceStatus("http://127.0.0.1:9090/", true, "2.53.0"),
        new Dictionary<string, string> { ["latency"] = "http_request_duration_seconds by endpoint" },
        ["latency: http_request_duration_seconds by endpoint", "not found: gc (no dotnet_gc_* or process_runtime_dotnet_gc_* series)"],
        findings, p95 ?? [], memory ?? [], memory is null ? null : "process_working_set_bytes");

    public static MetricsAnalysis Unreachable(string message = "connection refused") => new(
        new SourceStatus("http://127.0.0.1:9090/", false, Message: message), new Dictionary<string, string>(), [], [], [], [], null);

    public async Task<MetricsAnalysis> AnalyzeAsync(DetectorSettings settings, CancellationToken ct)
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
