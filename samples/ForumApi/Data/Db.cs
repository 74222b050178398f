using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Prometheus;

namespace ForumApi.Data;

/// <summary>The one way SQL reaches SQLite: every query is timed, counted per route and traced as a child span.</summary>
/// <remarks>Keeping all SQL behind this class is what lets the N+1 and full-scan bottlenecks be measured from outside.</remarks>
internal sealed class Db(string connectionString, IHttpContextAccessor httpContext)
{
    public const string ActivitySourceName = "ForumApi.Db";
    private const string DbName = "forum";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    // SQLite lets one writer in at a time, and Microsoft.Data.Sqlite answers SQLITE_BUSY by sleeping 150 ms before
    // it retries: concurrent POSTs then wait in 150 ms steps, a fifth bottleneck nobody asked for (and one --fixed
    // could not remove). Taking turns in-process keeps each write at its real cost.
    private static readonly SemaphoreSlim WriteGate = new(1, 1);

    private static readonly string[] WriteVerbs = ["INSERT", "UPDATE", "DELETE", "REPLACE"];

    private static readonly Counter Queries = Metrics.CreateCounter(
        "forum_db_queries_total",
        "SQL queries run, by SQL verb and by the route template of the request that ran them.",
        new CounterConfiguration { LabelNames = ["operation", "route"] });

    private static readonly Histogram QueryDuration = Metrics.CreateHistogram(
        "forum_db_query_duration_seconds",
        "Time to run one SQL query and read its rows.",
        new HistogramConfiguration
        {
            LabelNames = ["operation", "route"],
            // 50 µs .. ~1.6 s: SQLite queries are mostly sub-millisecond, a full scan of a big table is not.
            Buckets = Histogram.ExponentialBuckets(0.00005, 2, 16),
        });

    public string ConnectionString { get; } = connectionString;

    /// <summary>Opens a pooled connection; callers dispose it at the end of the request.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    public Task<List<T>> QueryAsync<T>(SqliteConnection c, string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] args) =>
        RunAsync(c, null, sql, args, async cmd =>
        {
            var rows = new List<T>();
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                rows.Add(map(reader));
            return rows;
        });

    public Task<long> ScalarAsync(SqliteConnection c, string sql, params (string Name, object? Value)[] args) =>
        ScalarAsync(c, null, sql, args);

    public Task<long> ScalarAsync(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] args) =>
        RunAsync(c, tx, sql, args, async cmd => Convert.ToInt64(await cmd.ExecuteScalarAsync() ?? 0L));

    public Task<int> ExecuteAsync(SqliteConnection c, string sql, params (string Name, object? Value)[] args) =>
        ExecuteAsync(c, null, sql, args);

    public Task<int> ExecuteAsync(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] args) =>
        RunAsync(c, tx, sql, args, cmd => cmd.ExecuteNonQueryAsync());

    private async Task<T> RunAsync<T>(
        SqliteConnection c, SqliteTransaction? tx, string sql, (string Name, object? Value)[] args, Func<SqliteCommand, Task<T>> run)
    {
        var operation = Operation(sql);
        var route = CurrentRoute();
        using var activity = Source.StartActivity($"{operation} {DbName}", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("db.system", "sqlite");
            activity.SetTag("db.name", DbName);
            activity.SetTag("db.operation", operation);
            activity.SetTag("db.statement", sql);
        }

        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in args)
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);

        // Inside a transaction the connection already holds the write lock; gating there could deadlock.
        var gated = tx is null && WriteVerbs.Contains(operation);
        if (gated)
            await WriteGate.WaitAsync();
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await run(cmd);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
        finally
        {
            if (gated)
                WriteGate.Release();
            Queries.WithLabels(operation, route).Inc();
            QueryDuration.WithLabels(operation, route).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>The SQL verb (SELECT, INSERT, PRAGMA, ...), the label the metrics and spans group by.</summary>
    internal static string Operation(string sql)
    {
        var text = sql.AsSpan().TrimStart();
        var end = 0;
        while (end < text.Length && char.IsLetter(text[end]))
            end++;
        return end == 0 ? "OTHER" : text[..end].ToString().ToUpperInvariant();
    }

    private string CurrentRoute() =>
        httpContext.HttpContext?.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } template } ? template : "none";
}
