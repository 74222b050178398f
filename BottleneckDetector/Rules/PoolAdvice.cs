using PerfTools.Shared.Metrics;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary>What to change when requests wait for a pooled connection, in the words of the pool the metric names
/// reveal: its size and wait-timeout settings, and a way to watch it. For a convention any library follows it names no
/// library's setting.</summary>
/// <remarks>Defaults as documented: Npgsql's connection-string parameters (Maximum Pool Size 100, Timeout 15 s),
/// HikariCP's configuration (maximumPoolSize 10, connectionTimeout 30000 ms, leakDetectionThreshold), Go's
/// <c>database/sql</c> (<c>SetMaxOpenConns</c>, 0 = unlimited).</remarks>
public static class PoolAdvice
{
    /// <summary>The fix that holds whatever the pool: hold a connection only around its queries, then size the pool to
    /// the database, not up blindly.</summary>
    public const string HoldBriefly =
        "Hold a connection only around the queries (take it just before the first, give it back right after the last; " +
        "never across a sleep, an HTTP call or CPU work), then size the pool to what the database can serve " +
        "(all instances' pools together within its connection limit, e.g. PostgreSQL's max_connections) rather than raising it blindly.";

    /// <summary>" In Npgsql the size is …": the library's own settings, or "" when the names do not reveal the library.</summary>
    public static string Settings(PoolLibrary library) => library switch
    {
        PoolLibrary.Npgsql => " In Npgsql the pool's size is Maximum Pool Size (default 100) and the wait for a connection is Timeout " +
            "(seconds, default 15), both in the connection string.",
        PoolLibrary.HikariCp => " In HikariCP the pool's size is maximumPoolSize (default 10) and the wait for a connection is " +
            "connectionTimeout (ms, default 30000).",
        PoolLibrary.GoDatabaseSql => " In Go's database/sql the pool's size is db.SetMaxOpenConns (0 = unlimited); bound the wait " +
            "for a connection with a context deadline on the query.",
        _ => "",
    };

    /// <summary>How to watch this pool, or to find who holds its connections; none for an unknown library.</summary>
    /// <param name="pid">The service's process id when the metrics name it, else null (a placeholder is explained).</param>
    public static IReadOnlyList<string> Steps(PoolLibrary library, string? pid) => library switch
    {
        PoolLibrary.Npgsql =>
        [
            $"watch the pool live while under load: dotnet-counters monitor -p {pid ?? "PID"} --counters Npgsql " +
            $"({(pid is null ? "PID: the service's process id; dotnet-counters ps lists the .NET processes" : $"{pid}: its process id, from target_info")})",
            "on the PostgreSQL server, SELECT state, wait_event, now() - query_start, left(query, 60) FROM pg_stat_activity " +
            "WHERE datname = current_database() shows what each connection does ('idle in transaction', or idle while the pool " +
            "has waiters, is a connection held for nothing)",
        ],
        PoolLibrary.HikariCp =>
        [
            "set leakDetectionThreshold (e.g. 2000 ms) on the pool: HikariCP then logs where each connection held longer was taken",
        ],
        PoolLibrary.GoDatabaseSql =>
        [
            "find the goroutines waiting for a connection: go tool pprof http://HOST/debug/pprof/goroutine and look for " +
            "database/sql.(*DB).conn (HOST: host:port of the service's net/http/pprof handlers)",
        ],
        _ => [],
    };
}
