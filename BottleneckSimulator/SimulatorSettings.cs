using PerfTools.Shared.Analysis;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Reports.Simulation;


namespace PerfTools.BottleneckSimulator;

/// <summary>The validated command line: every value here is usable, so running cannot fail on a typo.</summary>
/// <param name="Scenarios">Scenario names in the order they run (one, or every one of the registry for <c>all</c>).</param>
/// <param name="Rps">Requests per second of the load scenario; 0 = closed model.</param>
/// <param name="Warmup">How long each scenario sends its traffic, unrecorded, before the measured schedule; zero for none.</param>
/// <param name="Body">The load scenario's request body, or null.</param>
/// <param name="Insecure">Accept any TLS certificate (<c>--insecure</c>).</param>
/// <param name="Baseline">The runs to compare with (<c>--baseline</c>, read before anything is sent); null for none.</param>
/// <param name="Alpha">Significance level of the comparison.</param>
/// <param name="MaxRegressionPct">The regression gate: the largest allowed rise of a significantly slower p50, %.</param>
/// <param name="MinChangePct">The comparison's threshold: a change within ± this many percent is no change.</param>
internal sealed record SimulatorSettings(
    Uri BaseUrl,
    IReadOnlyList<string> Scenarios,
    int Rps,
    TimeSpan Duration,
    TimeSpan Warmup,
    string Endpoint,
    string Method,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[]? Body,
    double TimeoutSeconds,
    int MaxInFlight,
    string Output,
    bool Insecure = false,
    SimulatorBaseline? Baseline = null,
    double Alpha = LatencyComparer.DefaultAlpha,
    double? MaxRegressionPct = null,
    double MinChangePct = LatencyComparer.DefaultMinChangePct)
{
    /// <summary>The share of each scenario's schedule this process sends (<c>--shard</c>); the whole by default.</summary>
    public ScheduleShard Shard { get; init; } = ScheduleShard.Whole;

    /// <summary>The schedule's time zero (<c>--start-at</c>), UTC; null: at once.</summary>
    public DateTimeOffset? StartAt { get; init; }

    /// <summary>With <c>--merge</c>: the parts, read and checked; nothing is sent then.</summary>
    public SimulationMerge? Merge { get; init; }

    /// <summary>The absolute URL of <paramref name="path"/> under the base URL, keeping any base path (<c>/api</c>).</summary>
    public Uri Url(string path) => new($"{BaseUrl.ToString().TrimEnd('/')}{path}");
}
