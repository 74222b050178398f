using PerfTools.Shared.Metrics;

namespace PerfTools.Tests.Metrics;

/// <summary>Pool and table-statistics discovery over the names each convention's exporter writes.</summary>
public class PoolDiscoveryTests
{
    private static DiscoveredMetrics Discover(string text) => MetricDiscovery.Discover(PrometheusTextParser.Parse(text));

    [Test]
    public void Discover_ForumApiNpgsql10AsExported_FindsItsPoolWithTheStateMatcher()
    {
        var pool = Discover(PoolExpositions.Npgsql10).Pools.Single();

        Assert.That(pool, Is.EqualTo(new PoolMetrics(
            PoolConvention.OpenTelemetry, PoolLibrary.Npgsql, "npgsql_db_client_connection_*", "db_client_connection_pool_name",
            "npgsql_db_client_connection_count{db_client_connection_state=\"used\"}", "npgsql_db_client_connection_max",
            "npgsql_db_client_connection_npgsql_pending_requests", null, null, "npgsql_db_client_connection_npgsql_timeouts", null)
        {
            Acquisitions = "npgsql_db_client_operation_duration_count", // Npgsql counts commands per pool, not acquisitions
        }));
    }

    [Test]
    public void Discover_Npgsql9ThroughPrometheusNet_FindsTheOlderNames()
    {
        var pool = Discover(PoolExpositions.Npgsql9).Pools.Single();

        Assert.That(pool.Convention, Is.EqualTo(PoolConvention.OpenTelemetryLegacy));
        Assert.That(pool.Library, Is.EqualTo(PoolLibrary.Npgsql));
        Assert.That(pool.PoolLabel, Is.EqualTo("pool_name"));
        Assert.That(pool.Used, Is.EqualTo("npgsql_db_client_connections_usage{state=\"used\"}"));
        Assert.That(pool.Max, Is.EqualTo("npgsql_db_client_connections_max"));
        Assert.That(pool.Pending, Is.EqualTo("npgsql_db_client_connections_pending_requests"));
        Assert.That(pool.Timeouts, Is.EqualTo("npgsql_db_client_connections_timeouts"));
        Assert.That(pool.Acquisitions, Is.EqualTo("npgsql_db_client_commands_duration_count"));
    }

    [Test]
    public void Discover_OpenTelemetryExporter_FindsCountersWithTotalAndTheWaitHistogramInSeconds()
    {
        var pool = Discover(PoolExpositions.OpenTelemetry).Pools.Single();

        Assert.That(pool.Library, Is.EqualTo(PoolLibrary.Unknown), "the convention alone names no library");
        Assert.That(pool.Used, Is.EqualTo("db_client_connection_count{db_client_connection_state=\"used\"}"));
        Assert.That(pool.Timeouts, Is.EqualTo("db_client_connection_timeouts_total"));
        Assert.That(pool.WaitTime, Is.EqualTo(new PoolWaitTime("db_client_connection_wait_time_seconds", 1)));
        Assert.That(pool.Acquisitions, Is.EqualTo("db_client_connection_wait_time_seconds_count"), "each acquisition records a wait");
    }

    [Test]
    public void Discover_OpenTelemetryLegacy_WaitTimeInMilliseconds()
    {
        var pool = Discover(PoolExpositions.OpenTelemetryLegacy).Pools.Single();

        Assert.That(pool.Convention, Is.EqualTo(PoolConvention.OpenTelemetryLegacy));
        Assert.That(pool.Used, Is.EqualTo("db_client_connections_usage{state=\"used\"}"));
        Assert.That(pool.WaitTime, Is.EqualTo(new PoolWaitTime("db_client_connections_wait_time_milliseconds", 0.001)));
    }

    [Test]
    public void Discover_HikariCp_FindsActivePendingTimeoutAndAcquireTimer()
    {
        var pool = Discover(PoolExpositions.HikariCp).Pools.Single();

        Assert.That(pool, Is.EqualTo(new PoolMetrics(
            PoolConvention.HikariCp, PoolLibrary.HikariCp, "hikaricp_connections_*", "pool", "hikaricp_connections_active",
            "hikaricp_connections_max", "hikaricp_connections_pending", null, null, "hikaricp_connections_timeout_total",
            new PoolWaitTime("hikaricp_connections_acquire_seconds", 1))
        {
            Acquisitions = "hikaricp_connections_acquire_seconds_count",
        }));
    }

    [Test]
    public void Discover_GoDatabaseSql_WaitSecondsInsteadOfAPendingGauge()
    {
        var pool = Discover(PoolExpositions.GoSql).Pools.Single();

        Assert.That(pool, Is.EqualTo(new PoolMetrics(
            PoolConvention.GoSql, PoolLibrary.GoDatabaseSql, "go_sql_*", "db_name", "go_sql_in_use_connections", "go_sql_max_open_connections",
            null, "go_sql_wait_duration_seconds_total", "go_sql_wait_count_total", null, null)
        {
            Acquisitions = "go_sql_wait_count_total", // waits only: Go's mean wait is per waiter
        }));
    }

    [Test]
    public void Discover_TwoConventionsInOneScope_OnePoolEach()
    {
        var pools = Discover(PoolExpositions.HikariCp + "\n" + PoolExpositions.GoSql).Pools;

        Assert.That(pools.Select(p => p.Convention), Is.EqualTo(new[] { PoolConvention.HikariCp, PoolConvention.GoSql }));
        Assert.That(Discover(PoolExpositions.HikariCp + "\n" + PoolExpositions.GoSql).Describe().Count(l => l.StartsWith("connection pool: ", StringComparison.Ordinal)), Is.EqualTo(2));
    }

    [TestCase("http_db_client_connection_count_total{x=\"1\"} 1")] // a role the convention does not have
    [TestCase("hikaricp_connections{pool=\"p\"} 10")] // the total alone judges nothing
    [TestCase("mygo_sql_in_use_connections 1")]
    public void Discover_NamesThatOnlyLookAlike_NoPool(string line)
    {
        Assert.That(Discover(line).Pools, Is.Empty);
    }

    [Test]
    public void Describe_NoPool_SaysConnectionPoolReadsTracesOnly()
    {
        var lines = Discover("go_goroutines 1").Describe();

        Assert.That(lines, Does.Contain("connection pool: not found (no db_client_connection(s)_*, hikaricp_connections_* or go_sql_* metrics; connection_pool reads traces only)"));
    }

    [Test]
    public void Describe_NpgsqlPool_NamesItsFamilyLibraryAndSignals()
    {
        var lines = Discover(PoolExpositions.Npgsql10).Describe();

        Assert.That(lines, Does.Contain("connection pool: npgsql_db_client_connection_* (OpenTelemetry db.client.connection.*, Npgsql) by db_client_connection_pool_name: in use/max, pending, timeouts"));
    }

    [Test]
    public void Discover_RecordedPostgresExporter_FindsTheTableStatistics()
    {
        var found = Discover(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "postgres", "exporter_metrics.txt")));

        Assert.That(found.TableStats, Is.EqualTo(new TableStatsMetrics(
            "pg_stat_user_tables_seq_scan", "pg_stat_user_tables_idx_scan", "pg_stat_user_tables_n_live_tup", ["server", "datname", "schemaname", "relname"])));
        Assert.That(found.PostgresExporter, Is.True);
        Assert.That(found.Describe(), Does.Contain(
            "table statistics: pg_stat_user_tables_seq_scan, pg_stat_user_tables_idx_scan, pg_stat_user_tables_n_live_tup by server, datname, schemaname, relname"));
    }

    [Test]
    public void Describe_ExporterWithoutTableStatistics_NamesTheQueriesFlag()
    {
        var found = Discover("pg_up 1\npg_stat_database_numbackends{datname=\"forum\"} 3");

        Assert.That(found.TableStats, Is.Null);
        Assert.That(found.Describe(), Has.Some.EqualTo(
            "table statistics: not found (postgres_exporter answers but exports no pg_stat_user_tables_*: start it with " +
            "--extend.query-path=/usr/share/doc/prometheus-postgres-exporter/examples/queries.yaml)"));
    }

    [Test]
    public void Discover_NothingOfEither_EqualsNone()
    {
        Assert.That(Discover(""), Is.EqualTo(DiscoveredMetrics.None));
    }
}
