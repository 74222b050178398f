namespace PerfTools.Tests.Metrics;

/// <summary>Connection-pool metrics as each convention's exporter spells them, for discovery and the connection_pool
/// rule. Npgsql 10 is the sample API's own /metrics, recorded (<c>testdata/postgres/forum_api_npgsql10_metrics.txt</c>);
/// the others are written from their sources: Npgsql's <c>src/Npgsql/MetricsReporter.cs</c> at v8.0.0/v9.0.4 (instrument
/// and tag names, adapted by prometheus-net as <c>&lt;meter&gt;_&lt;instrument&gt;</c> with counters as gauges), the
/// OpenTelemetry semantic conventions (v1.24.0 and current <c>docs/db/database-metrics.md</c>) as OpenTelemetry's
/// Prometheus exporter writes them (<c>_total</c> on counters, the unit on histograms), HikariCP's
/// <c>MicrometerMetricsTracker</c> through Micrometer's Prometheus registry, and client_golang's
/// <c>collectors.NewDBStatsCollector</c>.</summary>
internal static class PoolExpositions
{
    public static string Npgsql10 => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "postgres", "forum_api_npgsql10_metrics.txt"));

    /// <summary>Npgsql 8 or 9 in an app exporting with prometheus-net (as the sample does with Npgsql 10).</summary>
    public const string Npgsql9 = """
        # HELP npgsql_db_client_connections_usage ({connection}) The number of connections that are currently in state described by the state attribute.
        # TYPE npgsql_db_client_connections_usage gauge
        npgsql_db_client_connections_usage{pool_name="orders",state="idle"} 3
        npgsql_db_client_connections_usage{pool_name="orders",state="used"} 17
        # TYPE npgsql_db_client_connections_max gauge
        npgsql_db_client_connections_max{pool_name="orders"} 20
        # TYPE npgsql_db_client_connections_pending_requests gauge
        npgsql_db_client_connections_pending_requests{pool_name="orders"} 4
        # TYPE npgsql_db_client_connections_timeouts gauge
        npgsql_db_client_connections_timeouts{pool_name="orders"} 2
        # TYPE npgsql_db_client_connections_create_time histogram
        npgsql_db_client_connections_create_time_bucket{pool_name="orders",le="0.1"} 20
        npgsql_db_client_connections_create_time_bucket{pool_name="orders",le="+Inf"} 20
        npgsql_db_client_connections_create_time_sum{pool_name="orders"} 0.9
        npgsql_db_client_connections_create_time_count{pool_name="orders"} 20
        # TYPE npgsql_db_client_commands_duration histogram
        npgsql_db_client_commands_duration_bucket{pool_name="orders",le="0.01"} 5100
        npgsql_db_client_commands_duration_bucket{pool_name="orders",le="+Inf"} 5230
        npgsql_db_client_commands_duration_sum{pool_name="orders"} 31.4
        npgsql_db_client_commands_duration_count{pool_name="orders"} 5230
        """;

    /// <summary>OpenTelemetry's current conventions through its Prometheus exporter (any library).</summary>
    public const string OpenTelemetry = """
        # TYPE db_client_connection_count gauge
        db_client_connection_count{db_client_connection_pool_name="main",db_client_connection_state="idle",otel_scope_name="x"} 1
        db_client_connection_count{db_client_connection_pool_name="main",db_client_connection_state="used",otel_scope_name="x"} 9
        # TYPE db_client_connection_max gauge
        db_client_connection_max{db_client_connection_pool_name="main"} 10
        # TYPE db_client_connection_pending_requests gauge
        db_client_connection_pending_requests{db_client_connection_pool_name="main"} 6
        # TYPE db_client_connection_timeouts_total counter
        db_client_connection_timeouts_total{db_client_connection_pool_name="main"} 12
        # TYPE db_client_connection_wait_time_seconds histogram
        db_client_connection_wait_time_seconds_bucket{db_client_connection_pool_name="main",le="0.1"} 3
        db_client_connection_wait_time_seconds_bucket{db_client_connection_pool_name="main",le="+Inf"} 9
        db_client_connection_wait_time_seconds_sum{db_client_connection_pool_name="main"} 4.2
        db_client_connection_wait_time_seconds_count{db_client_connection_pool_name="main"} 9
        """;

    /// <summary>OpenTelemetry's conventions up to 1.25 (<c>db.client.connections.*</c>, times in ms).</summary>
    public const string OpenTelemetryLegacy = """
        # TYPE db_client_connections_usage gauge
        db_client_connections_usage{pool_name="reports",state="idle"} 0
        db_client_connections_usage{pool_name="reports",state="used"} 8
        # TYPE db_client_connections_max gauge
        db_client_connections_max{pool_name="reports"} 8
        # TYPE db_client_connections_pending_requests gauge
        db_client_connections_pending_requests{pool_name="reports"} 3
        # TYPE db_client_connections_timeouts_total counter
        db_client_connections_timeouts_total{pool_name="reports"} 0
        # TYPE db_client_connections_wait_time_milliseconds histogram
        db_client_connections_wait_time_milliseconds_bucket{pool_name="reports",le="100"} 3
        db_client_connections_wait_time_milliseconds_bucket{pool_name="reports",le="+Inf"} 4
        db_client_connections_wait_time_milliseconds_sum{pool_name="reports"} 640
        db_client_connections_wait_time_milliseconds_count{pool_name="reports"} 4
        """;

    /// <summary>HikariCP's MicrometerMetricsTracker through Micrometer's Prometheus registry (a timer without buckets).</summary>
    public const string HikariCp = """
        # TYPE hikaricp_connections_active gauge
        hikaricp_connections_active{pool="HikariPool-1",} 10.0
        # TYPE hikaricp_connections_idle gauge
        hikaricp_connections_idle{pool="HikariPool-1",} 0.0
        # TYPE hikaricp_connections_pending gauge
        hikaricp_connections_pending{pool="HikariPool-1",} 7.0
        # TYPE hikaricp_connections_max gauge
        hikaricp_connections_max{pool="HikariPool-1",} 10.0
        # TYPE hikaricp_connections_min gauge
        hikaricp_connections_min{pool="HikariPool-1",} 10.0
        # TYPE hikaricp_connections gauge
        hikaricp_connections{pool="HikariPool-1",} 10.0
        # TYPE hikaricp_connections_timeout_total counter
        hikaricp_connections_timeout_total{pool="HikariPool-1",} 3.0
        # TYPE hikaricp_connections_acquire_seconds summary
        hikaricp_connections_acquire_seconds_count{pool="HikariPool-1",} 1520.0
        hikaricp_connections_acquire_seconds_sum{pool="HikariPool-1",} 411.2
        # TYPE hikaricp_connections_acquire_seconds_max gauge
        hikaricp_connections_acquire_seconds_max{pool="HikariPool-1",} 1.9
        # TYPE hikaricp_connections_usage_seconds summary
        hikaricp_connections_usage_seconds_count{pool="HikariPool-1",} 1520.0
        hikaricp_connections_usage_seconds_sum{pool="HikariPool-1",} 760.0
        """;

    /// <summary>client_golang's DBStatsCollector for a database/sql pool.</summary>
    public const string GoSql = """
        # TYPE go_sql_max_open_connections gauge
        go_sql_max_open_connections{db_name="orders"} 5
        # TYPE go_sql_open_connections gauge
        go_sql_open_connections{db_name="orders"} 5
        # TYPE go_sql_in_use_connections gauge
        go_sql_in_use_connections{db_name="orders"} 5
        # TYPE go_sql_idle_connections gauge
        go_sql_idle_connections{db_name="orders"} 0
        # TYPE go_sql_wait_count_total counter
        go_sql_wait_count_total{db_name="orders"} 4410
        # TYPE go_sql_wait_duration_seconds_total counter
        go_sql_wait_duration_seconds_total{db_name="orders"} 1893.5
        # TYPE go_sql_max_idle_closed_total counter
        go_sql_max_idle_closed_total{db_name="orders"} 0
        # TYPE go_goroutines gauge
        go_goroutines 57
        """;
}
