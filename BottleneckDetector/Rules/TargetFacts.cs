using System.Text.RegularExpressions;
using PerfTools.Shared.Metrics;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary>What the detector knows about the analysed service beyond the numbers, so that a rule's advice fits it:
/// the runtime of each process, where the service listens, its process ids, and the Jaeger UI its traces are in.</summary>
/// <remarks>Label values are the servers' text: an instance or a process id that is not plainly one is treated as
/// unknown, so no command the detector prints carries a stranger's shell syntax.</remarks>
public sealed partial record TargetFacts
{
    /// <summary>Where a Jaeger UI usually is: the default of <c>--jaeger-url</c>.</summary>
    public const string DefaultJaegerUrl = "http://localhost:16686";

    private readonly string _jaegerUrl = DefaultJaegerUrl;

    /// <summary>Nothing known: advice names no runtime's tool, commands carry placeholders.</summary>
    public static TargetFacts Unknown { get; } = new();

    /// <summary>The one runtime the scope's metric names reveal; <see cref="TargetRuntime.Unknown"/> when none or several.</summary>
    public TargetRuntime Runtime { get; init; }

    /// <summary>The runtime of each process (<see cref="RuleText.ProcessKey"/>) that exports a runtime's metrics; empty when
    /// not asked (a scope of one runtime) or when the answer was empty.</summary>
    public IReadOnlyDictionary<string, TargetRuntime> RuntimeByProcess { get; init; } = new Dictionary<string, TargetRuntime>();

    /// <summary>Where the service's HTTP metrics come from, one base URL per instance: <c>http://127.0.0.1:5000</c>.</summary>
    public IReadOnlyList<string> BaseUrls { get; init; } = [];

    /// <summary>Process ids by instance, from OpenTelemetry's <c>target_info{process_pid}</c>.</summary>
    public IReadOnlyDictionary<string, string> PidByInstance { get; init; } = new Dictionary<string, string>();

    /// <summary>The Jaeger UI trace links point into (<c>--jaeger-url</c>), without a trailing slash.</summary>
    public string JaegerUrl
    {
        get => _jaegerUrl;
        init => _jaegerUrl = value.TrimEnd('/');
    }

    /// <summary>The service's base URL when the metrics name exactly one instance; null otherwise.</summary>
    public string? BaseUrl => BaseUrls.Count == 1 ? BaseUrls[0] : null;

    /// <summary>What is known about the process a process-level series (memory, CPU, GC) came from.</summary>
    public ProcessFacts Process(PrometheusSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        string instance = series.Label("instance");
        string? host = IsHostPort(instance) ? instance : null;
        TargetRuntime runtime = RuntimeByProcess.Count == 0
            ? Runtime
            : RuntimeByProcess.GetValueOrDefault(RuleText.ProcessKey(series), TargetRuntime.Unknown);
        return new ProcessFacts(RuleText.Process(series), runtime, host, host is null ? null : PidByInstance.GetValueOrDefault(host));
    }

    /// <summary>The facts of a scope, from what Prometheus answered; each answer may be empty (not asked, or nothing there).</summary>
    /// <param name="discovered">The runtime(s) discovery saw in the scope's metric names.</param>
    /// <param name="instances">The HTTP metric's series grouped by <c>instance</c> and the scheme labels.</param>
    /// <param name="targetInfo"><c>target_info</c> grouped by <c>instance</c> and <c>process_pid</c>.</param>
    /// <param name="runtimeMarkers">The runtimes' marker metrics grouped by <c>job</c>, <c>instance</c> and <c>__name__</c>.</param>
    public static TargetFacts From(
        DiscoveredMetrics discovered,
        PrometheusQueryResult instances,
        PrometheusQueryResult targetInfo,
        PrometheusQueryResult runtimeMarkers,
        string jaegerUrl)
    {
        ArgumentNullException.ThrowIfNull(discovered);
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(targetInfo);
        ArgumentNullException.ThrowIfNull(runtimeMarkers);
        var baseUrls = instances.Series
            .Select(s => (Instance: s.Label("instance"), Https: SchemeLabels.Any(l => s.Label(l).Equals("https", StringComparison.OrdinalIgnoreCase))))
            .Where(i => IsHostPort(i.Instance))
            .Select(i => (i.Https ? "https://" : "http://") + i.Instance)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var pids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in targetInfo.Series
                     .Where(s => IsHostPort(s.Label("instance")) && Pid().IsMatch(s.Label("process_pid")))
                     .GroupBy(s => s.Label("instance")))
        {
            // Two pids behind one instance (a restart inside the window) name no process for sure.
            if (group.Select(s => s.Label("process_pid")).Distinct().Count() == 1)
            {
                pids[group.Key] = group.First().Label("process_pid");
            }
        }

        var runtimes = new Dictionary<string, TargetRuntime>(StringComparer.Ordinal);
        foreach (var group in runtimeMarkers.Series.GroupBy(RuleText.ProcessKey))
        {
            var seen = group.Select(s => MetricDiscovery.RuntimeOf(s.Label("__name__"))).OfType<TargetRuntime>().Distinct().ToList();
            runtimes[group.Key] = seen.Count == 1 ? seen[0] : TargetRuntime.Unknown;
        }

        return new TargetFacts
        {
            Runtime = discovered.Runtime,
            RuntimeByProcess = runtimes,
            BaseUrls = baseUrls,
            PidByInstance = pids,
            JaegerUrl = jaegerUrl,
        };
    }

    /// <summary>Labels that say a request came over https: OpenTelemetry's <c>url_scheme</c> (older <c>http_scheme</c>) and a plain <c>scheme</c>.</summary>
    public static IReadOnlyList<string> SchemeLabels { get; } = ["url_scheme", "http_scheme", "scheme"];

    /// <summary><c>host:port</c> (a name, an IPv4 address or a bracketed IPv6 address), as Prometheus sets <c>instance</c>.</summary>
    public static bool IsHostPort(string instance) => HostPort().IsMatch(instance);

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostPort();

    [GeneratedRegex("^[1-9][0-9]{0,9}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pid();
}

/// <summary>What is known about one process: its name as the findings show it, its runtime, and, when the metrics
/// say, its <c>host:port</c> and process id.</summary>
public sealed record ProcessFacts(string Name, TargetRuntime Runtime, string? HostPort, string? Pid);
