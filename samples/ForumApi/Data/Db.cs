using System.Data.Common;
using System.Diagnostics;
using Prometheus;

namespace ForumApi.Data;

/// <summary>The one way SQL reaches the database: every query is timed, counted per route and traced as a child span.</summary>
/// <remarks>
/// Keeping all SQL behind this class is what lets the N+1 and full-scan bottlenecks be measured from outside. It speaks
/// ADO.NET (<see cref="DbConnection"/>, <see cref="DbCommand"/>) to SQLite and PostgreSQL alike; what differs between
/// them lives in <see cref="SqlDialect"/>. SQL is written once for both: parameters are <c>@name</c>, which
/// Microsoft.Data.Sqlite and Npgsql both bind, and inserts read their key with <c>RETURNING id</c>, which both support.
/// </remarks>
internal sealed class Db(SqlDialect dialect, IHttpContextAccessor? httpContext) : IDisposable, IAsyncDisposable
{
    public const string ActivitySourceName = "ForumApi.Db";
    public const string DbName = "forum";

    private static readonly ActivitySource Source = new(ActivitySourceName);

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

    private readonly DbDataSource _dataSource = dialect.CreateDataSource();

    // SQLite lets one writer in at a time, and Microsoft.Data.Sqlite answers SQLITE_BUSY by sleeping 150 ms before
    // it retries: concurrent POSTs then wait in 150 ms steps, a bottleneck nobody asked for (and one --fixed could
    // not remove). Taking turns in-process keeps each write at its real cost. PostgreSQL needs no such gate.
    private readonly SemaphoreSlim? _writeGate = dialect.SerializesWrites ? new SemaphoreSlim(1, 1) : null;

    public SqlDialect Dialect { get; } = dialect;

    /// <summary>Takes a connection from the pool; callers dispose it to give it back.</summary>
    /// <exception cref="DatabaseUnavailableException">No connection could be had in time (pool exhausted, server down).</exception>
    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && Dialect.UnavailableReason(ex) is { } reason)
        {
            throw new DatabaseUnavailableException(reason, ex);
        }
    }

    /// <summary>Opens the dialect's <see cref="SqlDialect.WarmConnections"/> at once and returns them to the pool.</summary>
    public async Task WarmUpAsync()
    {
        var connections = await Task.WhenAll(Enumerable.Range(0, Dialect.WarmConnections).Select(_ => OpenAsync()));
        foreach (var connection in connections)
            await connection.DisposeAsync();
    }

    public Task<List<T>> QueryAsync<T>(DbConnection c, string sql, Func<DbDataReader, T> map, params (string Name, object? Value)[] args) =>
        QueryAsync(c, null, sql, map, args);

    public Task<List<T>> QueryAsync<T>(DbConnection c, DbTransaction? tx, string sql, Func<DbDataReader, T> map, params (string Name, object? Value)[] args) =>
        RunAsync(c, tx, sql, args, async cmd =>
        {
            var rows = new List<T>();
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                rows.Add(map(reader));
            return rows;
        });

    public Task<long> ScalarAsync(DbConnection c, string sql, params (string Name, object? Value)[] args) =>
        ScalarAsync(c, null, sql, args);

    public Task<long> ScalarAsync(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] args) =>
        RunAsync(c, tx, sql, args, async cmd => Convert.ToInt64(await cmd.ExecuteScalarAsync() ?? 0L));

    public Task<int> ExecuteAsync(DbConnection c, string sql, params (string Name, object? Value)[] args) =>
        ExecuteAsync(c, null, sql, args);

    public Task<int> ExecuteAsync(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] args) =>
        RunAsync(c, tx, sql, args, cmd => cmd.ExecuteNonQueryAsync());

    /// <summary>Loads many rows at once, the fastest way the database offers (PostgreSQL: binary COPY).</summary>
    public Task<long> BulkInsertAsync(DbConnection c, DbTransaction tx, string table, string[] columns, IEnumerable<object[]> rows) =>
        Dialect.BulkInsertAsync(this, c, tx, table, columns, rows);

    /// <summary>The database's own account of how it would run <paramref name="sql"/> (SQLite: EXPLAIN QUERY PLAN
    /// details joined with " | "; PostgreSQL: EXPLAIN (FORMAT JSON) text).</summary>
    public async Task<string> ExplainAsync(DbConnection c, string sql, params (string Name, object? Value)[] args)
    {
        var rows = await QueryAsync(c, Dialect.ExplainSql(sql), Dialect.ReadExplainRow, args);
        return string.Join(" | ", rows);
    }

    /// <summary>Times, counts and traces one statement that <paramref name="run"/> sends; for statements that are not a
    /// plain <see cref="DbCommand"/> (COPY), the dialect calls this directly.</summary>
    internal async Task<T> MeasureAsync<T>(string sql, Func<Task<T>> run, bool gated = false)
    {
        var operation = Operation(sql);
        var route = CurrentRoute();
        using var activity = Source.StartActivity($"{operation} {DbName}", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("db.system", Dialect.DbSystem);
            activity.SetTag("db.name", DbName);
            activity.SetTag("db.operation", operation);
            activity.SetTag("db.statement", sql);
        }

        if (gated)
            await _writeGate!.WaitAsync();
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await run();
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
        finally
        {
            if (gated)
                _writeGate!.Release();
            Queries.WithLabels(operation, route).Inc();
            QueryDuration.WithLabels(operation, route).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private async Task<T> RunAsync<T>(
        DbConnection c, DbTransaction? tx, string sql, (string Name, object? Value)[] args, Func<DbCommand, Task<T>> run)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in args)
        {
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(parameter);
        }

        // Inside a transaction the connection already holds the write lock; gating there could deadlock.
        var gated = _writeGate is not null && tx is null && WriteVerbs.Contains(Operation(sql));
        return await MeasureAsync(sql, () => run(cmd), gated);
    }

    /// <summary>The SQL verb (SELECT, INSERT, PRAGMA, COPY, ...), the label the metrics and spans group by.</summary>
    internal static string Operation(string sql)
    {
        var text = sql.AsSpan().TrimStart();
        var end = 0;
        while (end < text.Length && char.IsLetter(text[end]))
            end++;
        return end == 0 ? "OTHER" : text[..end].ToString().ToUpperInvariant();
    }

    private string CurrentRoute() =>
        httpContext?.HttpContext?.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } template } ? template : "none";

    public void Dispose()
    {
        _dataSource.Dispose();
        _writeGate?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        _writeGate?.Dispose();
    }
}
