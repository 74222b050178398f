using System.Globalization;
using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Metrics;
using PerfTools.Shared.Text;

namespace PerfTools.BottleneckDetector;

/// <summary>The Prometheus side of a run: checks the server, discovers which metrics it holds and what they reveal of
/// the service (<see cref="TargetFacts"/>), runs the metric rules, and fetches the two series the chart shows (p95 by
/// route, memory over the window).</summary>
internal sealed class PrometheusMetricsAnalyzer(HttpClient http, TimeProvider time, TextWriter warnings) : IMetricsAnalyzer
{
    public async Task<MetricsAnalysis> AnalyzeAsync(DetectorSettings settings, CancellationToken ct)
    {
        string url = settings.PrometheusUrl.AbsoluteUri;
        var client = new PrometheusClient(http, settings.PrometheusUrl, settings.PrometheusToken);
        string? version;
        DiscoveredMetrics discovered;
        IReadOnlySet<string> names;
        try
        {
            version = (await client.BuildInfoAsync(ct).ConfigureAwait(false)).Data.Version;
            DateTimeOffset at = settings.At ?? time.GetUtcNow();
            MetricInventory inventory = await MetricDiscovery
                .LoadInventoryAsync(client, at, settings.Window, ct: ct).ConfigureAwait(false);
            discovered = MetricDiscovery.Discover(inventory);
            names = inventory.LabelNames.Keys.ToHashSet(StringComparer.Ordinal);
        }
        catch (PrometheusException e)
        {
            return new MetricsAnalysis(new SourceStatus(url, false, null, e.Message), new Dictionary<string, string>(), [], [], [], [], null);
        }

        IReadOnlyList<string> lines = discovered.Describe();
        var context = new MetricRuleContext(
            client, discovered, settings.At, settings.Window,
            new DetectorThresholds { SlowEndpointMs = settings.ThresholdMs }, time)
        {
            Warn = warning => warnings.WriteLine($"prometheus warning: {SafeText.Printable(warning)}"),
            DatabaseGiven = settings.Database is not null,
        };

        var findings = new List<Finding>();
        int evaluated = 0;
        IReadOnlyList<RouteLatency> p95 = [];
        (IReadOnlyList<MemoryPoint> memory, string? memorySeries) = ([], null);
        string? interrupted = null;
        try
        {
            context = context with { Target = await FactsAsync(context, discovered, names, settings.JaegerUrl.AbsoluteUri, ct).ConfigureAwait(false) };
            foreach (IMetricRule rule in MetricRules.All)
            {
                try
                {
                    findings.AddRange(await rule.EvaluateAsync(context, ct).ConfigureAwait(false));
                }
                catch (PrometheusException e)
                {
                    // One failing query (say, a 422 on an odd metric) must not hide what the other rules found.
                    warnings.WriteLine($"{rule.Id}: skipped, Prometheus answered: {SafeText.Printable(e.Message)}");
                }

                evaluated++;
            }

            p95 = await P95ByRouteAsync(context, discovered, ct).ConfigureAwait(false);
            (memory, memorySeries) = await MemoryAsync(context, discovered, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C: what the rules found so far is still worth reporting; the status says it is partial.
            interrupted = string.Create(CultureInfo.InvariantCulture, $"interrupted after {evaluated} of {MetricRules.All.Count} rules");
        }

        return new MetricsAnalysis(
            new SourceStatus(url, interrupted is null ? SourceState.Reachable : SourceState.Interrupted, version, interrupted),
            // A role may have several lines (one per connection pool): the report's key holds them all.
            lines.Select(l => l.Split(": ", 2)).Where(p => p.Length == 2)
                .GroupBy(p => p[0], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => string.Join("; ", g.Select(p => p[1])), StringComparer.Ordinal),
            lines,
            findings,
            p95,
            memory,
            memorySeries)
        {
            Metrics = discovered,
        };
    }

    /// <summary>Where the service listens (the instances of its HTTP metric and their scheme), its process ids
    /// (<c>target_info</c>, when exported) and, when the scope holds several runtimes, which process runs which. Each
    /// question is one query; one that fails leaves its fact unknown, never the run.</summary>
    private async Task<TargetFacts> FactsAsync(
        MetricRuleContext context, DiscoveredMetrics discovered, IReadOnlySet<string> names, string jaegerUrl, CancellationToken ct)
    {
        string w = context.WindowText;
        string? http = discovered.Requests?.Name ?? discovered.Latency?.Count;
        string schemes = string.Join(", ", TargetFacts.SchemeLabels);
        var instances = http is null
            ? PrometheusQueryResult.EmptyVector
            : await FactAsync(context, $"group by (instance, {schemes}) (last_over_time({context.Select(http)}[{w}]))", ct).ConfigureAwait(false);
        var targetInfo = names.Contains("target_info")
            ? await FactAsync(context, $"group by (job, instance, process_pid) (last_over_time({context.Select("target_info")}[{w}]))", ct).ConfigureAwait(false)
            : PrometheusQueryResult.EmptyVector;
        // A runtime function would drop __name__, so this one is an instant selector (Prometheus' lookback, 5 min by default).
        string markers = context.Select($"{{__name__=~\"{string.Join("|", discovered.Runtimes.SelectMany(r => r.Names))}\"}}");
        var byProcess = discovered.Runtimes.Count > 1
            ? await FactAsync(context, $"group by (job, instance, __name__) ({markers})", ct).ConfigureAwait(false)
            : PrometheusQueryResult.EmptyVector;
        return TargetFacts.From(discovered, instances, targetInfo, byProcess, jaegerUrl);
    }

    private async Task<PrometheusQueryResult> FactAsync(MetricRuleContext context, string query, CancellationToken ct)
    {
        try
        {
            return await context.InstantAsync(query, ct).ConfigureAwait(false);
        }
        catch (PrometheusException e)
        {
            warnings.WriteLine($"advice: not fitted to the target ({query}): {SafeText.Printable(e.Message)}");
            return PrometheusQueryResult.EmptyVector;
        }
    }

    private async Task<IReadOnlyList<RouteLatency>> P95ByRouteAsync(MetricRuleContext context, DiscoveredMetrics discovered, CancellationToken ct)
    {
        if (discovered.Latency is not { Kind: LatencyKind.Histogram } latency)
        {
            return [];
        }

        try
        {
            PrometheusQueryResult result = await context
                .InstantAsync(SlowEndpointRule.P95Query(latency, context.WindowText, context.Scope), ct).ConfigureAwait(false);
            return result.Series
                .Where(s => double.IsFinite(s.Value))
                .Select(s => new RouteLatency(
                    latency.RouteLabel is { } label ? s.Label(label) : "(all)",
                    s.Value * latency.SecondsPerUnit * 1000))
                .OrderByDescending(r => r.P95Ms)
                .ToList();
        }
        catch (PrometheusException e)
        {
            warnings.WriteLine($"chart: p95 by route not drawn: {SafeText.Printable(e.Message)}");
            return [];
        }
    }

    private async Task<(IReadOnlyList<MemoryPoint>, string?)> MemoryAsync(
        MetricRuleContext context, DiscoveredMetrics discovered, CancellationToken ct)
    {
        if ((discovered.ProcessMemory ?? discovered.HeapMemory) is not { } name)
        {
            return ([], null);
        }

        try
        {
            // Several processes behind one name would be several lines; the chart shows their sum.
            PrometheusQueryResult result = await context.RangeAsync($"sum({context.Select(name)})", ct).ConfigureAwait(false);
            var points = result.Series.FirstOrDefault()?.Samples
                .Where(p => double.IsFinite(p.Value))
                .Select(p => new MemoryPoint(DateTimeOffset.FromUnixTimeMilliseconds((long)(p.TimeUnixSeconds * 1000)), p.Value))
                .ToList() ?? [];
            return (points, name);
        }
        catch (PrometheusException e)
        {
            warnings.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chart: memory not drawn: {SafeText.Printable(e.Message)}"));
            return ([], name);
        }
    }
}
