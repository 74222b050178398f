using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Http;
using PerfTools.Shared.Text;


namespace PerfTools.PerformanceAnalyzer;

/// <summary>The run's results as they arrive from any worker: folded into one <see cref="RunSummary"/> and kept
/// in a list for the per-request CSV and the JSON samples, so every report reads the same data.</summary>
/// <remarks>Results come in with what the network and the command line put in them, and are kept safe to show:
/// secrets masked, control characters escaped in label, URL and message.</remarks>
internal sealed class RunRecord(Redactor redactor)
{
    private readonly Lock _lock = new();
    private readonly RunSummary _summary = new();
    private readonly List<RequestResult> _results = [];
    private readonly OrderedDictionary<string, WarmupOutcome> _warmups = new(StringComparer.Ordinal);

    public void Add(RequestResult result)
    {
        result = result with
        {
            Label = SafeLabel(result.Label),
            Url = redactor.Redact(SafeText.Printable(result.Url)),
            ErrorMessage = result.ErrorMessage is { } message ? redactor.Redact(SafeText.Printable(message)) : null,
        };
        lock (_lock)
        {
            _summary.Add(result);
            _results.Add(result);
        }
    }

    /// <summary>Keeps how <paramref name="label"/> was warmed up, under the label its results carry.</summary>
    public void AddWarmup(string label, WarmupOutcome outcome)
    {
        lock (_lock)
        {
            _warmups[SafeLabel(label)] = outcome;
        }
    }

    /// <summary>Keeps <paramref name="outcome"/> for <paramref name="label"/> unless a warm-up is kept for it already.</summary>
    public void AddWarmupIfNone(string label, WarmupOutcome outcome)
    {
        lock (_lock)
        {
            _warmups.TryAdd(SafeLabel(label), outcome);
        }
    }

    /// <summary>Each endpoint's warm-up, by label, in the order the endpoints ran.</summary>
    public IReadOnlyDictionary<string, WarmupOutcome> Warmups
    {
        get
        {
            lock (_lock)
            {
                return new OrderedDictionary<string, WarmupOutcome>(_warmups, StringComparer.Ordinal);
            }
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

    private string SafeLabel(string label) => redactor.Redact(SafeText.Printable(label));

    public IReadOnlyList<EndpointStats> Complete()
    {
        lock (_lock)
        {
            return _summary.Complete();
        }
    }
}
