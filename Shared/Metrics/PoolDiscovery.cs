namespace PerfTools.Shared.Metrics;

/// <summary>Finds connection-pool metrics by name pattern, in the conventions people run, with or without a prefix
/// (prometheus-net names a .NET meter's instruments <c>&lt;meter&gt;_&lt;instrument&gt;</c>, so Npgsql's become
/// <c>npgsql_db_client_connection_*</c>): one <see cref="PoolMetrics"/> per convention and prefix found.</summary>
/// <remarks>
/// Names as the exporters spell them (dots as underscores; OpenTelemetry's Prometheus exporter adds <c>_total</c> to a
/// counter and the unit to a histogram, prometheus-net exports a .NET counter as a gauge without <c>_total</c>):
/// OpenTelemetry semantic conventions 1.26 on and Npgsql 10 (<c>src/Npgsql/MetricsReporter.cs</c> at v10.0.3):
/// <c>db_client_connection_count{db_client_connection_state="idle|used",db_client_connection_pool_name}</c>,
/// <c>…_max</c>, <c>…_pending_requests</c> (Npgsql: <c>…_npgsql_pending_requests</c>), <c>…_timeouts[_total]</c>
/// (Npgsql: <c>…_npgsql_timeouts</c>), <c>…_wait_time_seconds</c>; up to 1.25 and Npgsql 8/9 (v8.0.0, v9.0.4):
/// <c>db_client_connections_usage{state,pool_name}</c>, <c>…_max</c>, <c>…_pending_requests</c>, <c>…_timeouts[_total]</c>,
/// <c>…_wait_time_milliseconds</c>; HikariCP's <c>MicrometerMetricsTracker</c>: <c>hikaricp_connections_active{pool}</c>,
/// <c>_max</c>, <c>_pending</c>, <c>_timeout_total</c>, <c>_acquire_seconds_{count,sum,max}</c>; client_golang's
/// <c>collectors.NewDBStatsCollector</c>: <c>go_sql_in_use_connections{db_name}</c>, <c>go_sql_max_open_connections</c>,
/// <c>go_sql_wait_count_total</c>, <c>go_sql_wait_duration_seconds_total</c>.
/// </remarks>
public static class PoolDiscovery
{
    private static readonly (PoolConvention Convention, string Stem)[] Stems =
    [
        (PoolConvention.OpenTelemetry, "db_client_connection_"),
        (PoolConvention.OpenTelemetryLegacy, "db_client_connections_"),
        (PoolConvention.HikariCp, "hikaricp_connections_"),
        (PoolConvention.GoSql, "go_sql_"),
    ];

    // Most specific first: OpenTelemetry's own attribute, then the older and the libraries' names.
    private static readonly string[] PoolLabels = ["db_client_connection_pool_name", "pool_name", "pool", "db_name"];
    private static readonly string[] StateLabels = ["db_client_connection_state", "state"];

    /// <summary>Whether <paramref name="name"/> may belong to a pool: discovery needs its label names.</summary>
    public static bool IsCandidate(string name) => Stems.Any(s => Split(name, s.Stem) is not null);

    /// <summary>Every pool instrumentation the inventory holds, in a stable order (convention, then prefix).</summary>
    public static IReadOnlyList<PoolMetrics> Discover(MetricInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var groups = new SortedDictionary<(PoolConvention, string), Dictionary<string, string>>();
        foreach (string name in inventory.LabelNames.Keys.Order(StringComparer.Ordinal))
        {
            foreach (var (convention, stem) in Stems)
            {
                if (Split(name, stem) is not { } prefix)
                {
                    continue;
                }

                if (!groups.TryGetValue((convention, prefix), out var roles))
                {
                    groups[(convention, prefix)] = roles = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                roles[name[(prefix.Length + stem.Length)..]] = name;
            }
        }

        var pools = new List<PoolMetrics>();
        foreach (var ((convention, prefix), roles) in groups)
        {
            if (Build(convention, prefix, roles, inventory) is { } pool)
            {
                pools.Add(pool);
            }
        }

        return pools;
    }

    /// <summary>The prefix before <paramref name="stem"/> when the name has it at its start or after an underscore.</summary>
    private static string? Split(string name, string stem)
    {
        int at = name.StartsWith(stem, StringComparison.Ordinal) ? 0 : name.IndexOf("_" + stem, StringComparison.Ordinal) + 1;
        return at == 0 && !name.StartsWith(stem, StringComparison.Ordinal) ? null : name[..at];
    }

    private static PoolMetrics? Build(PoolConvention convention, string prefix, Dictionary<string, string> roles, MetricInventory inventory)
    {
        string? Role(params string[] rests) => rests.Select(r => roles.GetValueOrDefault(r)).FirstOrDefault(n => n is not null);
        var labels = roles.Values.SelectMany(inventory.LabelsOf).ToHashSet(StringComparer.Ordinal);
        string? poolLabel = PoolLabels.FirstOrDefault(labels.Contains);
        string? used;
        string? max;
        string? pending = null;
        string? timeouts;
        string? waitSeconds = null;
        string? waitCount = null;
        PoolWaitTime? waitTime;
        string? acquisitions;
        PoolLibrary library;
        switch (convention)
        {
            case PoolConvention.OpenTelemetry:
            case PoolConvention.OpenTelemetryLegacy:
                bool current = convention == PoolConvention.OpenTelemetry;
                string? counts = Role(current ? "count" : "usage");
                string? state = counts is null ? null : StateLabels.FirstOrDefault(inventory.LabelsOf(counts).Contains);
                used = counts is not null && state is not null ? $"{counts}{{{state}=\"used\"}}" : null;
                max = Role("max");
                pending = Role("pending_requests", "npgsql_pending_requests");
                timeouts = Role("timeouts_total", "timeouts", "npgsql_timeouts_total", "npgsql_timeouts");
                // The semantic conventions give wait_time in s from 1.26 and in ms before; an explicit unit suffix wins.
                waitTime = Histogram(roles, "wait_time_seconds", 1) ?? Histogram(roles, "wait_time_milliseconds", 0.001)
                    ?? Histogram(roles, "wait_time", current ? 1 : 0.001);
                library = prefix.StartsWith("npgsql", StringComparison.Ordinal) || roles.Keys.Any(r => r.StartsWith("npgsql_", StringComparison.Ordinal))
                    ? PoolLibrary.Npgsql
                    : PoolLibrary.Unknown;
                // Each acquisition records a wait and a use; Npgsql 8-10 record neither, but count commands per pool
                // (db.client.commands.duration, then db.client.operation.duration), one per acquisition as a rule.
                acquisitions = (waitTime is null ? null : waitTime.Name + "_count")
                    ?? Role("use_time_seconds_count", "use_time_milliseconds_count", "use_time_count")
                    ?? (library == PoolLibrary.Npgsql
                        ? new[] { "db_client_operation_duration_count", "db_client_operation_duration_seconds_count", "db_client_commands_duration_count", "db_client_commands_duration_seconds_count" }
                            .Select(n => prefix + n).FirstOrDefault(inventory.Has)
                        : null);
                break;
            case PoolConvention.HikariCp:
                used = Role("active");
                max = Role("max");
                pending = Role("pending");
                timeouts = Role("timeout_total", "timeout");
                waitTime = Histogram(roles, "acquire_seconds", 1);
                acquisitions = waitTime is null ? null : waitTime.Name + "_count";
                library = PoolLibrary.HikariCp;
                break;
            default:
                used = Role("in_use_connections");
                max = Role("max_open_connections");
                waitSeconds = Role("wait_duration_seconds_total");
                waitCount = Role("wait_count_total");
                timeouts = null; // database/sql counts no timeouts: a context deadline ends the wait
                waitTime = null;
                acquisitions = waitCount; // waits only: the mean wait is per waiter
                library = PoolLibrary.GoDatabaseSql;
                break;
        }

        bool judged = pending is not null || waitSeconds is not null || timeouts is not null || waitTime is not null
            || (used is not null && max is not null);
        if (!judged)
        {
            return null;
        }

        string stem = Stems.First(s => s.Convention == convention).Stem;
        return new PoolMetrics(convention, library, $"{prefix}{stem}*", poolLabel, used, max, pending, waitSeconds, waitCount, timeouts, waitTime)
        {
            Acquisitions = acquisitions,
        };
    }

    /// <summary>A histogram or summary family under <paramref name="rest"/>: its <c>_sum</c> and <c>_count</c> are needed.</summary>
    private static PoolWaitTime? Histogram(Dictionary<string, string> roles, string rest, double secondsPerUnit) =>
        roles.TryGetValue(rest + "_sum", out string? sum) && roles.ContainsKey(rest + "_count")
            ? new PoolWaitTime(sum[..^"_sum".Length], secondsPerUnit)
            : null;
}
