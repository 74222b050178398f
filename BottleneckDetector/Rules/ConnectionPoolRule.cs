using PerfTools.Shared.Analysis;
using PerfTools.Shared.Metrics;
using PerfTools.Shared.Text;
using static PerfTools.BottleneckDetector.Rules.RuleText;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary><c>connection_pool</c> from metrics: requests waiting for a pooled database connection, per pool (its pool
/// label) and instance, in any of the conventions <see cref="PoolDiscovery"/> knows.</summary>
/// <remarks>
/// Four signals, each with its own limit (<see cref="DetectorThresholds"/>); the finding takes the worst and names every
/// one that crossed:
/// <list type="bullet">
/// <item>waiters (a pending gauge; for Go the rate of <c>go_sql_wait_duration_seconds_total</c> over max(1m, 4 steps), which
/// is the mean number waiting): sustained when present in ≥ 50 % of the window's range points, or with a mean ≥ 1 while
/// present in ≥ 25 % (a point without the series counts as none waiting); critical when present in ≥ 90 %. One scrape's
/// blip is neither. Where the pool's acquisitions per second are known (<see cref="PoolMetrics.Acquisitions"/>), waiters
/// count only when Little's law (mean waiters ÷ acquisitions per second) gives each acquisition ≥ 100 ms of wait: many
/// short waits are a busy pool that turns over fast (20 clients hammering a fixed service), not a bottleneck.</item>
/// <item>timeouts: the increase of the counter over the window (a gauge-exported counter is still monotonic; a series that
/// appears inside the window counts from 0, as Npgsql and OpenTelemetry create it with the first timeout): ≥ 1 warning, ≥ 10 critical.</item>
/// <item>mean wait for a connection from a wait-time histogram or summary: ≥ 100 ms warning, ≥ 1 s critical.</item>
/// <item>in use ÷ max, averaged over the window's points: ≥ 0.8 warning (never critical alone: a full pool nobody waits for is at its limit, not over it).</item>
/// </list>
/// </remarks>
public sealed class ConnectionPoolRule : IMetricRule
{
    public const string RuleId = "connection_pool";

    public string Id => RuleId;

    public async Task<IReadOnlyList<Finding>> EvaluateAsync(MetricRuleContext ctx, CancellationToken ct)
    {
        var findings = new List<Finding>();
        foreach (PoolMetrics pool in ctx.Metrics.Pools)
        {
            var (found, waiting) = await EvaluatePoolAsync(pool, ctx, ct).ConfigureAwait(false);
            findings.AddRange(found);
            // A pool starved for a stretch of a long window (an 8 s incident in a 2 min window) is diluted below every limit
            // over the whole window: its busiest stretch, where waiters were there most often, is judged on its own. Only
            // where the acquisitions are known, so that Little's law can tell a starved pool from a busy one turning over
            // fast (a burst of waiters alone is no finding).
            if (found.Count > 0 || pool.Acquisitions is null
                || BusiestStretch(waiting, ctx.Window) is not var (stretch, end, share) || share < ctx.Thresholds.PoolWaitMinShare)
            {
                continue;
            }

            var inStretch = ctx with { Window = stretch, At = DateTimeOffset.FromUnixTimeMilliseconds((long)(end * 1000)) };
            var (stretchFindings, _) = await EvaluatePoolAsync(pool, inStretch, ct).ConfigureAwait(false);
            string when = inStretch.At!.Value.UtcDateTime.ToString("HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            findings.AddRange(stretchFindings.Select(f => f with
            {
                Recommendation = $"In the busiest {inStretch.WindowText} of the {ctx.WindowText} window (ending {when}): {f.Recommendation}",
            }));
        }

        return findings;
    }

    private static async Task<(IReadOnlyList<Finding> Findings, PrometheusQueryResult Waiting)> EvaluatePoolAsync(
        PoolMetrics pool, MetricRuleContext ctx, CancellationToken ct)
    {
        PoolQueries q = PoolQueries.For(pool, ctx.Select, ctx.WindowText, ctx.Step);
        var empty = PrometheusQueryResult.EmptyVector;
        var waiting = q.Waiting is null ? empty : await ctx.RangeAsync(q.Waiting, ct).ConfigureAwait(false);
        var timeouts = q.Timeouts is null ? empty : await ctx.InstantAsync(q.Timeouts, ct).ConfigureAwait(false);
        var usage = q.Usage is null ? empty : await ctx.RangeAsync(q.Usage, ct).ConfigureAwait(false);
        var max = q.Max is null ? empty : await ctx.InstantAsync(q.Max, ct).ConfigureAwait(false);
        var waitMs = q.WaitMs is null ? empty : await ctx.InstantAsync(q.WaitMs, ct).ConfigureAwait(false);
        var acquisitions = q.Acquisitions is null || q.Waiting is null ? empty : await ctx.InstantAsync(q.Acquisitions, ct).ConfigureAwait(false);
        return (Evaluate(pool, q, waiting, timeouts, usage, max, waitMs, ctx.Points, ctx.WindowText, ctx.Thresholds, ctx.Target, acquisitions), waiting);
    }

    /// <summary>The stretch of the window (a quarter of it, 30 s at least) in which waiters were there at the most points:
    /// its length, its end (Unix seconds) and that share of its points; null when the window is no longer than a stretch
    /// or nobody waited.</summary>
    public static (TimeSpan Stretch, double EndUnixSeconds, double Share)? BusiestStretch(PrometheusQueryResult waiting, TimeSpan window)
    {
        var stretch = TimeSpan.FromSeconds(Math.Max(30, Math.Round(window.TotalSeconds / 4)));
        if (stretch >= window)
        {
            return null;
        }

        (TimeSpan, double, double)? best = null;
        foreach (PrometheusSeries series in waiting.Series)
        {
            var samples = series.Samples.Where(s => IsNumber(s.Value)).OrderBy(s => s.TimeUnixSeconds).ToList();
            if (samples.Count < 2)
            {
                continue;
            }

            // Points of the range query: the series' own spacing; a point without the series counts as nobody waiting.
            double step = samples.Zip(samples.Skip(1), (a, b) => b.TimeUnixSeconds - a.TimeUnixSeconds).Min();
            double perStretch = Math.Max(1, Math.Round(stretch.TotalSeconds / step));
            foreach (var end in samples)
            {
                int waited = samples.Count(s => s.Value > 0 && s.TimeUnixSeconds > end.TimeUnixSeconds - stretch.TotalSeconds && s.TimeUnixSeconds <= end.TimeUnixSeconds);
                double share = Math.Min(1, waited / perStretch);
                if (waited > 0 && (best is null || share > best.Value.Item3))
                {
                    best = (stretch, end.TimeUnixSeconds, share);
                }
            }
        }

        return best;
    }

    /// <summary>What connection_pool lacked, in one line for the report's section; null when it found pool metrics.</summary>
    /// <param name="tracesAnswered">Jaeger answered: the traces were looked at.</param>
    public static string? Coverage(DiscoveredMetrics discovered, bool tracesAnswered)
    {
        ArgumentNullException.ThrowIfNull(discovered);
        return discovered.Pools.Count > 0 ? null
            : tracesAnswered ? "connection_pool: from traces only (no pool metrics: db_client_connection(s)_*, hikaricp_connections_*, go_sql_*)"
            : "connection_pool: not checked (no pool metrics, and no traces)";
    }

    /// <summary>Judges one pool's answers, one finding per pool and instance that crossed a limit.</summary>
    /// <param name="waiting">Range: waiters per group.</param>
    /// <param name="timeouts">Instant: timeouts in the window per group.</param>
    /// <param name="usage">Range: in use ÷ max per group.</param>
    /// <param name="max">Instant: the pool's maximum per group.</param>
    /// <param name="waitMs">Instant: mean wait for a connection in ms per group.</param>
    /// <param name="points">How many points the range queries asked for: a missing one counts as no waiter.</param>
    /// <param name="acquisitions">Instant: connections taken per second per group (for Go: waits per second); empty when unknown.</param>
    public static IReadOnlyList<Finding> Evaluate(
        PoolMetrics pool, PoolQueries queries, PrometheusQueryResult waiting, PrometheusQueryResult timeouts, PrometheusQueryResult usage,
        PrometheusQueryResult max, PrometheusQueryResult waitMs, int points, string window, DetectorThresholds thresholds, TargetFacts? facts = null,
        PrometheusQueryResult? acquisitions = null)
    {
        acquisitions ??= PrometheusQueryResult.EmptyVector;
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(queries);
        facts ??= TargetFacts.Unknown;
        string Key(PrometheusSeries s) => string.Join("\u0000", queries.By.Select(s.Label));
        var keys = new[] { waiting, timeouts, usage, max, waitMs }.SelectMany(r => r.Series).Select(Key).Distinct(StringComparer.Ordinal).ToList();
        var instancesByPool = new[] { waiting, timeouts, usage, max, waitMs }.SelectMany(r => r.Series)
            .GroupBy(s => pool.PoolLabel is { } l ? s.Label(l) : "")
            .ToDictionary(g => g.Key, g => g.Select(s => s.Label("instance")).Distinct().Count(), StringComparer.Ordinal);

        var findings = new List<Finding>();
        foreach (string key in keys.Order(StringComparer.Ordinal))
        {
            PrometheusSeries? Find(PrometheusQueryResult r) => r.Series.FirstOrDefault(s => Key(s) == key);
            var any = new[] { waiting, timeouts, usage, max, waitMs }.Select(Find).First(s => s is not null)!;
            string poolName = pool.PoolLabel is { } label ? any.Label(label) : "";
            string instance = any.Label("instance");
            string target = "connection pool" + (poolName.Length > 0 ? $" {poolName}" : "")
                + (instancesByPool.GetValueOrDefault(poolName) > 1 && instance.Length > 0 ? $" ({instance})" : "");
            var signals = Signals(Find(waiting), Find(timeouts), Find(usage), Find(max), Find(waitMs), Find(acquisitions), points);
            if (Judge(pool, queries, signals, target, window, thresholds, facts, instance) is { } finding)
            {
                findings.Add(finding);
            }
        }

        return findings;
    }

    /// <param name="WaitPerAcquisitionMs">Little's law: the mean number waiting over the acquisitions per second, in ms;
    /// null when the acquisitions are not known, +∞ when waiters were there and nothing was acquired.</param>
    private sealed record PoolSignals(
        double? WaitShare, double? MeanWaiting, double? PeakWaiting, double? Timeouts, double? MeanUsage, double? MaxConnections, double? WaitMs,
        double? AcquisitionsPerSecond, double? WaitPerAcquisitionMs);

    private static PoolSignals Signals(
        PrometheusSeries? waiting, PrometheusSeries? timeouts, PrometheusSeries? usage, PrometheusSeries? max, PrometheusSeries? waitMs,
        PrometheusSeries? acquisitions, int points)
    {
        double? share = null, mean = null, peak = null;
        if (waiting is not null)
        {
            var values = waiting.Samples.Select(s => s.Value).Where(IsNumber).ToList();
            int n = Math.Max(points, values.Count);
            share = values.Count(v => v > 0) / (double)n;
            mean = values.Where(v => v > 0).Sum() / n;
            peak = values.DefaultIfEmpty(0).Max();
        }

        var ratios = usage?.Samples.Select(s => s.Value).Where(v => IsNumber(v) && v >= 0).ToList() ?? [];
        double? rate = acquisitions is not null && IsNumber(acquisitions.Value) && acquisitions.Value >= 0 ? acquisitions.Value : null;
        double? perAcquisition = rate is { } r && mean is > 0 ? (r > 0 ? mean.Value / r * 1000 : double.PositiveInfinity) : null;
        return new PoolSignals(
            share, mean, peak,
            timeouts is not null && IsNumber(timeouts.Value) ? Math.Max(0, Math.Round(timeouts.Value)) : null,
            ratios.Count > 0 ? ratios.Average() : null,
            max is not null && IsNumber(max.Value) && max.Value > 0 ? max.Value : null,
            waitMs is not null && IsNumber(waitMs.Value) ? waitMs.Value : null,
            rate,
            perAcquisition);
    }

    /// <summary>"; about 440 ms of wait per acquisition by Little's law", where the acquisitions are known; for Go, whose
    /// counters are of waits, the time waited over the waits.</summary>
    private static string PerAcquisition(PoolSignals s, PoolMetrics pool) => s.WaitPerAcquisitionMs switch
    {
        null => "",
        double.PositiveInfinity => "; no connection was taken meanwhile",
        { } ms when pool.Library == PoolLibrary.GoDatabaseSql => $"; about {Milliseconds.Text(ms, ms < 10 ? 1 : 0)} ms per wait",
        { } ms => $"; about {Milliseconds.Text(ms, ms < 10 ? 1 : 0)} ms of wait per acquisition by Little's law",
    };

    private static Finding? Judge(
        PoolMetrics pool, PoolQueries q, PoolSignals s, string target, string window, DetectorThresholds t, TargetFacts facts, string instance)
    {
        // A queue that drains in a few ms is a busy pool, not a bottleneck: where the acquisitions are known, waiters count
        // only when each acquisition waits PoolWaitMs or more on average.
        bool longWaits = s.WaitPerAcquisitionMs is not { } perAcquisition || perAcquisition >= t.PoolWaitMs;
        Severity? waitSeverity = s.WaitShare is { } share && longWaits
            ? share >= t.PoolWaitCriticalShare ? Severity.Critical
            : share >= t.PoolWaitShare || (s.MeanWaiting >= t.PoolMeanWaiting && share >= t.PoolWaitMinShare) ? Severity.Warning
            : null
            : null;
        Severity? timeoutSeverity = s.Timeouts is { } count
            ? count >= t.PoolCriticalTimeouts ? Severity.Critical : count >= t.PoolTimeouts ? Severity.Warning : null
            : null;
        Severity? waitTimeSeverity = s.WaitMs is { } ms
            ? ms >= t.PoolCriticalWaitMs ? Severity.Critical : ms >= t.PoolWaitMs ? Severity.Warning : null
            : null;
        Severity? usageSeverity = s.MeanUsage >= t.PoolUsageRatio ? Severity.Warning : null;
        var crossed = new (Severity? Severity, double Value, string Unit, double? Threshold)[]
        {
            (waitSeverity, s.MeanWaiting ?? 0, "waiting requests", null),
            (timeoutSeverity, s.Timeouts ?? 0, "timeouts", t.PoolTimeouts),
            (waitTimeSeverity, s.WaitMs ?? 0, "ms", t.PoolWaitMs),
            (usageSeverity, s.MeanUsage ?? 0, "ratio", t.PoolUsageRatio),
        }.Where(c => c.Severity is not null).ToList();
        if (crossed.Count == 0)
        {
            return null;
        }

        // The headline is the worst signal; among equals, waiters, then timeouts, wait time and use, in that order.
        var head = crossed.OrderByDescending(c => c.Severity).First();
        string name = target["connection pool".Length..].Trim();
        string poolText = name.Length > 0 ? $"pool {name}" : "the pool";
        string size = s.MaxConnections is { } m ? $" of {N(m, "0")} connections" : "";
        var seen = new List<string>();
        if (waitSeverity is not null)
        {
            seen.Add($"requests waited for a connection from {poolText} in {N(s.WaitShare!.Value * 100, "0")} % of the {window} window " +
                $"({N(s.MeanWaiting!.Value, "0.#")} waiting on average, {N(s.PeakWaiting ?? 0, "0.#")} at most{PerAcquisition(s, pool)})");
        }

        if (timeoutSeverity is not null)
        {
            seen.Add($"{N(s.Timeouts!.Value, "0")} request{(s.Timeouts == 1 ? "" : "s")} gave up waiting for a connection (timeouts)");
        }

        if (waitTimeSeverity is not null)
        {
            seen.Add($"getting a connection took {Milliseconds.Text(s.WaitMs!.Value, 1)} ms on average");
        }

        if (usageSeverity is not null)
        {
            seen.Add($"{N(s.MeanUsage!.Value * 100, "0")} % of {poolText}{size} were in use on average");
        }

        string what = string.Join("; ", seen);
        what = char.ToUpperInvariant(what[0]) + what[1..];
        bool waited = waitSeverity is not null || timeoutSeverity is not null || waitTimeSeverity is not null;
        string recommendation = waited
            ? $"{what}: connections are held longer than the pool{size} can serve. {PoolAdvice.HoldBriefly}{PoolAdvice.Settings(pool.Library)}"
            : $"{what}: the pool runs at its limit, though nobody waited yet. Find what holds connections longest before load grows " +
              $"(a connection held across other work); if every hold is short, size the pool to what the database can serve.{PoolAdvice.Settings(pool.Library)}";

        var evidence = new List<string>();
        if (q.Waiting is not null && s.WaitShare is not null)
        {
            evidence.Add($"{q.Waiting} over {window}: waiters in {N(s.WaitShare.Value * 100, "0")} % of the points, mean {N(s.MeanWaiting ?? 0, "0.##")}, peak {N(s.PeakWaiting ?? 0, "0.##")}");
        }

        if (q.Acquisitions is not null && s.AcquisitionsPerSecond is { } rate)
        {
            evidence.Add($"{q.Acquisitions} = {N(rate, "0.##")}/s{PerAcquisition(s, pool)}");
        }

        if (q.Timeouts is not null && s.Timeouts is not null)
        {
            evidence.Add($"{q.Timeouts} = {N(s.Timeouts.Value, "0")}");
        }

        if (q.WaitMs is not null && s.WaitMs is not null)
        {
            evidence.Add($"{q.WaitMs} = {Milliseconds.Text(s.WaitMs.Value, 1)} ms");
        }

        if (q.Usage is not null && s.MeanUsage is not null)
        {
            evidence.Add($"{q.Usage} over {window}: mean {N(s.MeanUsage.Value * 100, "0")} %");
        }

        string? pid = facts.PidByInstance.GetValueOrDefault(instance);
        var steps = new List<string>
        {
            $"find who holds the connections: in Jaeger ({facts.JaegerUrl}/search) open slow traces of routes that query the database; " +
            "a gap before a request's first query span is a wait for a connection, work between a request's start and its queries while others wait is a connection held for nothing",
        };
        steps.AddRange(PoolAdvice.Steps(pool.Library, pid));
        return new Finding(RuleId, head.Severity!.Value, target, head.Value, head.Unit, head.Threshold, string.Join("; ", evidence), recommendation)
        {
            NextSteps = steps,
        };
    }
}

/// <summary>The PromQL a <see cref="ConnectionPoolRule"/> asks for one pool: grouped by its pool label and instance.</summary>
/// <param name="Acquisitions">Instant query of connections taken per second (Go: waits per second); null when not exported.</param>
/// <param name="By">The grouping labels, pool label first.</param>
/// <param name="Waiting">Range query of waiters; null without a pending gauge or a wait-seconds counter.</param>
/// <param name="Timeouts">Instant query of timeouts in the window.</param>
/// <param name="Usage">Range query of in use ÷ max (pools whose max is 0, unlimited, left out).</param>
/// <param name="Max">Instant query of the pool's maximum.</param>
/// <param name="WaitMs">Instant query of the mean wait for a connection, in ms.</param>
public sealed record PoolQueries(IReadOnlyList<string> By, string? Waiting, string? Timeouts, string? Usage, string? Max, string? WaitMs, string? Acquisitions = null)
{
    public static PoolQueries For(PoolMetrics pool, Func<string, string?[], string> select, string window, TimeSpan step)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(select);
        string S(string metric) => select(metric, []);
        IReadOnlyList<string> by = pool.PoolLabel is { } label ? [label, "instance"] : ["instance"];
        string g = $"sum by ({string.Join(", ", by)})";
        // Go exports no pending gauge: the rate of the seconds waited is the mean number waiting (Little's law), taken
        // over a range long enough to hold two scrapes of a 15 s interval.
        string rateRange = PrometheusDuration.Format(TimeSpan.FromSeconds(Math.Max(60, 4 * step.TotalSeconds)));
        string? waiting = pool.Pending is { } pending ? $"{g} ({S(pending)})"
            : pool.WaitSecondsTotal is { } seconds ? $"{g} (rate({S(seconds)}[{rateRange}]))"
            : null;
        // A series older than the window: its increase. One born inside it (a process started since): its last value,
        // every timeout it counted. Not the last value of a series that existed before and only ends inside the window:
        // a restarted process with the same labels that has not exported the counter again left the old process's one
        // sample there, and ./demo's fixed round read the buggy round's 2 timeouts.
        string? timeouts = pool.Timeouts is { } t
            ? $"{g} ((increase({S(t)}[{window}]) and last_over_time({S(t)}[{window}] offset {window})) "
              + $"or (last_over_time({S(t)}[{window}]) unless last_over_time({S(t)}[{window}] offset {window})))"
            : null;
        string? usage = pool.Used is { } used && pool.Max is { } max ? $"{g} ({S(used)}) / {g} ({S(max)} > 0)" : null;
        string? maxQuery = pool.Max is { } m ? $"max by ({string.Join(", ", by)}) (max_over_time({S(m)}[{window}]))" : null;
        string? waitMs = pool.WaitTime is { } w
            ? $"{g} (rate({S(w.Name + "_sum")}[{window}])) / {g} (rate({S(w.Name + "_count")}[{window}]) > 0) * {Number(w.SecondsPerUnit * 1000)}"
            : null;
        string? acquisitions = pool.Acquisitions is { } a ? $"{g} (rate({S(a)}[{window}]))" : null;
        return new PoolQueries(by, waiting, timeouts, usage, maxQuery, waitMs, acquisitions);
    }

    private static string Number(double value) => value.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
}
