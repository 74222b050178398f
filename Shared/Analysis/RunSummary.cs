using PerfTools.Shared.Http;

namespace PerfTools.Shared.Analysis;

/// <summary>Folds a whole run's results into one <see cref="EndpointSummary"/> per label, kept in first-seen order
/// so reports list endpoints in the order the scenario hit them.</summary>
public sealed class RunSummary
{
    private readonly Dictionary<string, EndpointSummary> _byLabel = new(StringComparer.Ordinal);
    private readonly List<EndpointSummary> _inOrder = [];
    private readonly bool _useCorrectedLatency;

    /// <param name="useCorrectedLatency">Passed to every <see cref="EndpointSummary"/>.</param>
    public RunSummary(bool useCorrectedLatency = false) => _useCorrectedLatency = useCorrectedLatency;

    public IReadOnlyList<EndpointSummary> Endpoints => _inOrder;

    public void Add(RequestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!_byLabel.TryGetValue(result.Label, out EndpointSummary? summary))
        {
            summary = new EndpointSummary(result.Label, _useCorrectedLatency);
            _byLabel.Add(result.Label, summary);
            _inOrder.Add(summary);
        }

        summary.Add(result);
    }

    public IReadOnlyList<EndpointStats> Complete() => _inOrder.Select(s => s.Complete()).ToList();
}
