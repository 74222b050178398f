using System.Collections.Concurrent;
using PerfTools.Shared.Metrics;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary>What a metric rule evaluates against: the server, the discovered metrics, when, over which window, and the limits.</summary>
/// <param name="At">Evaluation instant (<c>--at</c>, to analyse a past incident); null means now.</param>
/// <param name="Window">Rate and trend window, 5 minutes by default.</param>
/// <param name="Time">Clock for "now" when <paramref name="At"/> is null.</param>
public sealed record MetricRuleContext(
    PrometheusClient Prometheus,
    DiscoveredMetrics Metrics,
    DateTimeOffset? At,
    TimeSpan Window,
    DetectorThresholds Thresholds,
    TimeProvider Time)
{
    public static TimeSpan DefaultWindow { get; } = TimeSpan.FromMinutes(5);

    /// <summary>Label matchers that pick the analysed service out of everything Prometheus holds, e.g. <c>job="forum"</c>; null analyses all series.</summary>
    public string? Scope { get; init; }

    /// <summary>The metric with <see cref="Scope"/> and any <paramref name="matchers"/> applied: <c>forum_db_queries_total{job="forum"}</c>.</summary>
    public string Select(string metric, params string?[] matchers) => RuleText.Select(metric, [Scope, .. matchers]);

    /// <summary>What is known of the service beyond the numbers (runtime, base URL, process ids, Jaeger UI): the rules fit
    /// their recommendations and next steps to it.</summary>
    public TargetFacts Target { get; init; } = TargetFacts.Unknown;

    /// <summary><c>--database-url</c> was given, so advice need not ask for it.</summary>
    public bool DatabaseGiven { get; init; }

    /// <summary>Receives the server's warnings (e.g. a partial result) so the caller can show them beside the findings.</summary>
    public Action<string>? Warn { get; init; }

    /// <summary>The window as PromQL writes it: <c>5m</c>.</summary>
    public string WindowText => PrometheusDuration.Format(Window);

    /// <summary>The end of the analysed window.</summary>
    /// <remarks>Without <see cref="At"/>, "now" is taken once, at the first use, so every range query of a run covers the same
    /// instants: rules join two range queries point by point (regression: taken afresh per query, the points of two
    /// queries were milliseconds apart and no n_plus_one stretch ever matched).</remarks>
    public DateTimeOffset EvaluationTime => At ?? (_now ??= Time.GetUtcNow());

    private DateTimeOffset? _now;

    // Instant answers of this run by (At, query): a query asked twice (the chart's p95 by route is slow_endpoint's) is
    // sent once, since on a server holding many series one costs seconds. Shared by the copies `with` makes.
    private readonly ConcurrentDictionary<(DateTimeOffset?, string), PrometheusQueryResult> _answers = new();

    internal async Task<PrometheusQueryResult> InstantAsync(string promql, CancellationToken ct)
    {
        if (_answers.TryGetValue((At, promql), out var answered))
        {
            return answered;
        }

        var result = Report(await Prometheus.QueryAsync(promql, At, ct).ConfigureAwait(false), promql);
        _answers[(At, promql)] = result;
        return result;
    }

    /// <summary>The values of <paramref name="label"/> among the series of <paramref name="selector"/> present in the window
    /// (<c>/api/v1/label/&lt;label&gt;/values</c>): one entry per value, however many series carry it.</summary>
    internal async Task<IReadOnlyList<string>> LabelValuesAsync(string label, string selector, CancellationToken ct)
    {
        var end = EvaluationTime;
        var response = await Prometheus.LabelValuesAsync(label, end - Window, end, selector, ct).ConfigureAwait(false);
        foreach (var warning in response.Warnings)
        {
            Warn?.Invoke($"{warning} (values of {label} in {selector})");
        }

        return response.Data;
    }

    /// <summary>The step of <see cref="RangeAsync"/>: about 60 points over the window, at least one second apart.</summary>
    public TimeSpan Step => TimeSpan.FromSeconds(Math.Max(1, Math.Round(Window.TotalSeconds / 60)));

    /// <summary>How many points <see cref="RangeAsync"/> asks for: a series absent at some of them was not there.</summary>
    public int Points => (int)Math.Floor(Window.TotalSeconds / Step.TotalSeconds) + 1;

    /// <summary>The window as a range, about 60 points (at least one per second).</summary>
    internal async Task<PrometheusQueryResult> RangeAsync(string promql, CancellationToken ct)
    {
        var end = EvaluationTime;
        return Report(await Prometheus.QueryRangeAsync(promql, end - Window, end, Step, ct).ConfigureAwait(false), promql);
    }

    private PrometheusQueryResult Report(PrometheusResponse<PrometheusQueryResult> response, string promql)
    {
        foreach (var warning in response.Warnings)
        {
            Warn?.Invoke($"{warning} ({promql})");
        }

        return response.Data;
    }
}
