using PerfTools.Shared.Analysis;
using PerfTools.Shared.Http;

namespace PerfTools.PerformanceAnalyzer;

/// <summary>The run's results as they arrive from any worker: folded into one <see cref="RunSummary"/> and kept
/// in a list for the per-request CSV and the JSON samples, so every report reads the same data.</summary>
internal sealed class RunRecord
{
    private readonly Lock _lock = new();
    private readonly RunSummary _summary = new();
    private readonly List<RequestResult> _results = [];

    public void Add(RequestResult result)
    {
        lock (_lock)
        {
            _summary.Add(result);
            _results.Add(result);
        }
    }

    public IReadOnlyList<RequestResult> Results
    {
        get
        {
            lock (_lock)
            {
                return _results.ToArray();
            }
        }
    }

    public IReadOnlyList<EndpointStats> Complete()
    {
        lock (_lock)
        {
            return _summary.Complete();
        }
    }
}
