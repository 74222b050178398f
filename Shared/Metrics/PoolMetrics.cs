namespace PerfTools.Shared.Metrics;

/// <summary>The metrics one connection-pool instrumentation exports, as discovery found them; each selector is ready
/// for PromQL (the state matcher included), null where that instrumentation does not export it (yet: Npgsql creates
/// its pending and timeout series with the first wait and the first timeout).</summary>
/// <param name="Family">How the names begin, for the reader: <c>npgsql_db_client_connection_*</c>.</param>
/// <param name="PoolLabel">The label naming the pool (<c>db_client_connection_pool_name</c>, <c>pool_name</c>,
/// <c>pool</c>, <c>db_name</c>); null when the series carry none.</param>
/// <param name="Used">Connections in use: <c>…_count{db_client_connection_state="used"}</c>, <c>hikaricp_connections_active</c>.</param>
/// <param name="Max">The pool's maximum size (0 means unlimited in Go's database/sql).</param>
/// <param name="Pending">A gauge of requests waiting for a connection now.</param>
/// <param name="WaitSecondsTotal">A counter of seconds spent waiting (Go): its rate is the mean number of waiters.</param>
/// <param name="WaitCount">A counter of waits (Go).</param>
/// <param name="Timeouts">A counter of waits that timed out; a gauge when an adapter exports counters so (prometheus-net), still monotonic.</param>
/// <param name="WaitTime">A histogram or summary of the time to get a connection.</param>
public sealed record PoolMetrics(
    PoolConvention Convention,
    PoolLibrary Library,
    string Family,
    string? PoolLabel,
    string? Used,
    string? Max,
    string? Pending,
    string? WaitSecondsTotal,
    string? WaitCount,
    string? Timeouts,
    PoolWaitTime? WaitTime)
{
    /// <summary>A counter whose rate is how often connections are taken (a wait-time or use-time histogram's
    /// <c>_count</c>, HikariCP's acquire timer, Npgsql's command counter; for Go its count of waits), so that Little's
    /// law turns the mean number of waiters into a mean wait; null when none is exported.</summary>
    public string? Acquisitions { get; init; }

    /// <summary>The convention as a reader knows it: <c>OpenTelemetry db.client.connection.*</c>.</summary>
    public string ConventionName => Convention switch
    {
        PoolConvention.OpenTelemetry => "OpenTelemetry db.client.connection.*",
        PoolConvention.OpenTelemetryLegacy => "OpenTelemetry db.client.connections.* (semantic conventions before 1.26)",
        PoolConvention.HikariCp => "HikariCP via Micrometer",
        _ => "Go database/sql (client_golang's DBStatsCollector)",
    };

    /// <summary>One line for discovery: <c>npgsql_db_client_connection_* (OpenTelemetry …, Npgsql) by db_client_connection_pool_name: in use/max, pending, timeouts</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Used is not null && Max is not null)
        {
            parts.Add("in use/max");
        }

        if (Pending is not null)
        {
            parts.Add("pending");
        }
        else if (WaitSecondsTotal is not null)
        {
            parts.Add("wait seconds");
        }

        if (Timeouts is not null)
        {
            parts.Add("timeouts");
        }

        if (WaitTime is not null)
        {
            parts.Add("wait time");
        }

        string library = Library is PoolLibrary.Npgsql ? ", Npgsql" : "";
        string by = PoolLabel is null ? " (no pool label)" : $" by {PoolLabel}";
        string missing = Pending is null && WaitSecondsTotal is null ? "; no pending series yet (it appears with the first wait)" : "";
        return $"{Family} ({ConventionName}{library}){by}: {string.Join(", ", parts)}{missing}";
    }
}

/// <summary>A histogram or summary of connection wait times: its family name and the seconds per unit of its values.</summary>
/// <param name="Name">The family without <c>_bucket</c>/<c>_sum</c>/<c>_count</c>: <c>hikaricp_connections_acquire_seconds</c>.</param>
public sealed record PoolWaitTime(string Name, double SecondsPerUnit);

/// <summary>Which naming convention a pool's metrics follow.</summary>
public enum PoolConvention
{
    /// <summary><c>db.client.connection.count{db.client.connection.state}</c>, <c>….max</c>, <c>….pending_requests</c>,
    /// <c>….timeouts</c>, <c>….wait_time</c> (s): semantic conventions 1.26 on, and Npgsql 10 (some as <c>….npgsql.*</c>).</summary>
    OpenTelemetry,

    /// <summary><c>db.client.connections.usage{state}</c>, <c>….max</c>, <c>….pending_requests</c>, <c>….timeouts</c>,
    /// <c>….wait_time</c> (ms): semantic conventions up to 1.25, and Npgsql 8 and 9.</summary>
    OpenTelemetryLegacy,

    /// <summary><c>hikaricp_connections_active</c>, <c>_max</c>, <c>_pending</c>, <c>_timeout_total</c>, <c>_acquire_seconds</c>.</summary>
    HikariCp,

    /// <summary><c>go_sql_in_use_connections</c>, <c>go_sql_max_open_connections</c>, <c>go_sql_wait_count_total</c>, <c>go_sql_wait_duration_seconds_total</c>.</summary>
    GoSql,
}

/// <summary>The pool implementation the names reveal, so that advice can name its settings; unknown for a
/// convention any library may follow.</summary>
public enum PoolLibrary
{
    Unknown,
    Npgsql,
    HikariCp,
    GoDatabaseSql,
}
