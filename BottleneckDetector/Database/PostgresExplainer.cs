using System.Data;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;
using PerfTools.Shared.Text;

namespace PerfTools.BottleneckDetector.Database;

/// <summary>EXPLAINs statements on a PostgreSQL server without running them or writing anything.</summary>
/// <remarks>
/// Safety, in layers: the connection's transactions are read-only by default and carry a server-side statement and lock
/// timeout (<see cref="DatabaseTarget.ConnectionSettings"/>); each statement gets its own transaction, made read-only
/// again with <c>SET TRANSACTION READ ONLY</c> and rolled back; only a single SELECT passes
/// <see cref="SqlStatement.RefuseReason"/>; and it is only planned: <c>EXPLAIN</c> without <c>ANALYZE</c>. Statements with
/// parameters get a generic plan: on PostgreSQL 16+ <c>EXPLAIN (GENERIC_PLAN)</c>; before, <c>SET LOCAL plan_cache_mode =
/// force_generic_plan</c>, <c>PREPARE</c> and <c>EXPLAIN EXECUTE</c> with NULL arguments (a generic plan does not depend
/// on them). What is sent: SELECT, SET, PREPARE, EXPLAIN, and hypopg's <c>hypopg_create_index</c>/<c>hypopg_reset</c>,
/// whose hypothetical indexes live in the session's memory only. No extension is created.
/// </remarks>
internal sealed class PostgresExplainer(DatabaseTarget target, double timeoutSeconds)
{
    /// <summary>How many statements are EXPLAINed at most, the ones with the most total time first.</summary>
    public const int MaxStatements = 10;

    private const int MaxParameters = 100;

    private int _prepared;

    public async Task<DatabaseAnalysis> AnalyzeAsync(
        Func<Task<IReadOnlyList<TraceStatement>>> traceStatements, Rules.DetectorThresholds thresholds, CancellationToken ct)
    {
        string url = target.Display;
        await using var connection = new NpgsqlConnection(target.ConnectionSettings(timeoutSeconds).ConnectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or SocketException && !ct.IsCancellationRequested)
        {
            var (message, fix) = Describe(e);
            return new DatabaseAnalysis(new Shared.Analysis.SourceStatus(url, false, null, message), [], [], fix);
        }

        string version = $"PostgreSQL {connection.PostgreSqlVersion.ToString(2)}";
        var lines = new List<string>();
        var extensions = await ExtensionsAsync(connection, ct).ConfigureAwait(false);
        bool hypopg = extensions.Contains("hypopg");
        string database = connection.Database;

        IReadOnlyList<StatementSample> statements;
        string from;
        string? statsProblem = null;
        if (extensions.Contains("pg_stat_statements"))
        {
            try
            {
                statements = await FromStatStatementsAsync(connection, ct).ConfigureAwait(false);
                from = "pg_stat_statements";
            }
            catch (PostgresException e)
            {
                // Created but not loaded (shared_preload_libraries), or not readable by this user.
                statsProblem = $"pg_stat_statements could not be read ({OneLine(e.MessageText)})";
                statements = [];
                from = "";
            }
        }
        else
        {
            statsProblem = "no pg_stat_statements in this database: CREATE EXTENSION pg_stat_statements, with it in shared_preload_libraries";
            statements = [];
            from = "";
        }

        if (statsProblem is null && statements.Count == 0)
        {
            statsProblem = "pg_stat_statements holds no SELECT of this database yet";
        }

        if (statsProblem is not null)
        {
            statements = FromTraces(await traceStatements().ConfigureAwait(false), database);
            from = "the analysed traces";
        }

        var explained = new List<ExplainedStatement>();
        var skipped = new List<string>();
        int planned = 0, generic = 0, tried = 0;
        string? stopped = null;
        var state = Shared.Analysis.SourceState.Reachable;
        foreach (StatementSample statement in statements.Take(MaxStatements))
        {
            tried++;
            try
            {
                var result = await ExplainAsync(connection, statement, hypopg, database, ct).ConfigureAwait(false);
                if (result.Skipped is { } why)
                {
                    skipped.Add(why);
                    continue;
                }

                planned++;
                generic += result.Generic ? 1 : 0;
                explained.AddRange(result.Candidates);
            }
            catch (PostgresException e)
            {
                // Its own problem (a parameter whose type cannot be inferred, the statement timeout): the next one may do.
                skipped.Add(OneLine(e.MessageText));
            }
            catch (NpgsqlException e)
            {
                stopped = string.Create(CultureInfo.InvariantCulture, $"lost the connection at statement {tried} of {Math.Min(statements.Count, MaxStatements)} ({OneLine(Message(e))})");
                break;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C: what was EXPLAINed so far is still worth reporting; the status says it is partial.
                stopped = string.Create(CultureInfo.InvariantCulture, $"interrupted after {tried - 1} of {Math.Min(statements.Count, MaxStatements)} statements");
                state = Shared.Analysis.SourceState.Interrupted;
                break;
            }
        }

        lines.Add(StatementsLine(statements.Count, from, statsProblem, planned, generic, skipped, connection.PostgreSqlVersion.Major));
        lines.Add("hypopg: " + (hypopg
            ? "present; each suggested index is checked as a hypothetical index (kept only if it cuts the plan's cost by half)"
            : extensions.Contains("hypopg (available)")
                ? "installed on the server but not created in this database (CREATE EXTENSION hypopg; lets the detector check an index before you build it)"
                : "not installed (Debian: postgresql-NN-hypopg, then CREATE EXTENSION hypopg; lets the detector check an index before you build it)"));
        var findings = Rules.MissingIndexRule.EvaluatePlans(explained, thresholds, hypopg);
        return new DatabaseAnalysis(new Shared.Analysis.SourceStatus(url, state, version, stopped), lines, findings);
    }

    /// <summary>What the detector would print for a connection that failed, and how to fix it.</summary>
    internal (string Message, string Fix) Describe(Exception e)
    {
        string server = $"{target.Host}:{target.Port.ToString(CultureInfo.InvariantCulture)}";
        string user = target.User ?? "(the OS user)";
        return e switch
        {
            // 28P01 wrong password; 28000 no pg_hba.conf entry or no such role.
            PostgresException { SqlState: "28P01" or "28000" } pg =>
                ($"PostgreSQL at {server} rejected user '{user}' ({OneLine(pg.MessageText)})", "check USER and PASSWORD in --database-url (or PGPASSWORD)"),
            PostgresException { SqlState: "3D000" } =>
                ($"PostgreSQL at {server} has no database '{target.Database}'", "name an existing database at the end of --database-url"),
            PostgresException pg =>
                ($"PostgreSQL at {server} refused the connection ({pg.SqlState}: {OneLine(pg.MessageText)})", "fix the server, or pass another --database-url"),
            NpgsqlException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } =>
                ($"cannot connect to PostgreSQL at {server} (connection refused: nothing listens there)", "start it, or pass the right HOST:PORT in --database-url"),
            NpgsqlException { InnerException: SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData } } =>
                ($"cannot connect to PostgreSQL at {server} (host '{target.Host}' not found)", "fix HOST in --database-url"),
            NpgsqlException { InnerException: SocketException socket } =>
                ($"cannot connect to PostgreSQL at {server} ({socket.SocketErrorCode})", "start it, or pass the right HOST:PORT in --database-url"),
            NpgsqlException { InnerException: TimeoutException } or TimeoutException =>
                ($"PostgreSQL at {server} did not answer within {Number(timeoutSeconds)} s", "check that a PostgreSQL server listens there, or raise --timeout"),
            // Anything else at connect time is the protocol going wrong: an HTTP server, a TLS-only port, ...
            _ => ($"the server at {server} does not speak the PostgreSQL protocol ({OneLine(Message(e))})", "point --database-url at a PostgreSQL server"),
        };
    }

    private sealed record Explanation(string? Skipped, bool Generic, IReadOnlyList<ExplainedStatement> Candidates);

    private async Task<Explanation> ExplainAsync(
        NpgsqlConnection connection, StatementSample statement, bool hypopg, string database, CancellationToken ct)
    {
        if (SqlStatement.RefuseReason(statement.Text) is { } refused)
        {
            return new Explanation(refused, false, []);
        }

        if (SqlStatement.ToPositional(statement.Text, out int parameters, out string? mixed) is not { } sql)
        {
            return new Explanation(mixed, false, []);
        }

        if (parameters > MaxParameters)
        {
            return new Explanation($"more than {MaxParameters} parameters", false, []);
        }

        int major = connection.PostgreSqlVersion.Major;
        bool generic = parameters > 0;
        string how = !generic ? "EXPLAIN (FORMAT JSON)"
            : major >= 16 ? "EXPLAIN (GENERIC_PLAN, FORMAT JSON)"
            : "generic plan (PREPARE, EXPLAIN EXECUTE with NULLs, plan_cache_mode = force_generic_plan)";
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);
        try
        {
            await RunAsync(connection, "SET TRANSACTION READ ONLY", ct).ConfigureAwait(false);
            if (generic && major < 16)
            {
                await RunAsync(connection, "SET LOCAL plan_cache_mode = force_generic_plan", ct).ConfigureAwait(false);
            }

            PostgresPlan plan = await PlanAsync(connection, sql, parameters, major, ct).ConfigureAwait(false);
            var candidates = new List<ExplainedStatement>();
            foreach (PlanScan scan in plan.FilteredSeqScans)
            {
                if (await TableAsync(connection, scan.Relation, ct).ConfigureAwait(false) is not { } table
                    || table.Schema is "pg_catalog" or "information_schema" or "pg_toast")
                {
                    continue;
                }

                var (schema, rows, atLeast) = table;

                var names = new HashSet<string>(StringComparer.Ordinal) { scan.Relation };
                if (scan.Alias is { } alias)
                {
                    names.Add(alias);
                }

                var columns = IndexSuggestion.ColumnsOf(SqlTokens.Tokenize(scan.Filter), names, unqualifiedIsOurs: true);
                if (columns.Count == 0)
                {
                    continue;
                }

                var index = new IndexSuggestion(DatabaseKind.Postgres, schema, scan.Relation, columns);
                double? hypothetical = null;
                if (hypopg)
                {
                    await ScalarAsync(connection, "SELECT indexrelid FROM hypopg_create_index(@definition)", ct, ("definition", index.Hypothetical)).ConfigureAwait(false);
                    // A new PREPARE: a prepared statement's cached plan would not see the hypothetical index.
                    hypothetical = (await PlanAsync(connection, sql, parameters, major, ct).ConfigureAwait(false)).TotalCost;
                    await ScalarAsync(connection, "SELECT hypopg_reset()", ct).ConfigureAwait(false);
                }

                candidates.Add(new ExplainedStatement(
                    statement, how, index, $"{scan.NodeType} on {scan.Relation}, Filter {scan.Filter}", rows, atLeast, plan.TotalCost, hypothetical,
                    $"{database}.{schema}.{scan.Relation}"));
            }

            return new Explanation(null, generic, candidates);
        }
        finally
        {
            try
            {
                await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // The connection broke: the server rolls back on its own, and the next statement says so.
            }
        }
    }

    private async Task<PostgresPlan> PlanAsync(NpgsqlConnection connection, string sql, int parameters, int major, CancellationToken ct)
    {
        string explain;
        if (parameters == 0)
        {
            explain = "EXPLAIN (FORMAT JSON) " + sql;
        }
        else if (major >= 16)
        {
            explain = "EXPLAIN (GENERIC_PLAN, FORMAT JSON) " + sql;
        }
        else
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"perftools_explain_{++_prepared}");
            await RunAsync(connection, $"PREPARE {name} AS {sql}", ct).ConfigureAwait(false);
            explain = $"EXPLAIN (FORMAT JSON) EXECUTE {name}({string.Join(", ", Enumerable.Repeat("NULL", parameters))})";
        }

        return PostgresPlan.Parse((string)(await ScalarAsync(connection, explain, ct).ConfigureAwait(false) ?? "null"));
    }

    /// <summary>The table's schema and rows (the planner's estimate; counted up to a bound when it has none yet).</summary>
    private async Task<(string Schema, double Rows, bool AtLeast)?> TableAsync(NpgsqlConnection connection, string relation, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT n.nspname, c.reltuples::float8 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(quote_ident(@relation))",
            connection);
        command.Parameters.AddWithValue("relation", relation);
        string schema;
        double rows;
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                return null;
            }

            schema = reader.GetString(0);
            rows = reader.GetDouble(1);
        }

        if (rows >= 0)
        {
            return (schema, rows, false);
        }

        // Never analysed (reltuples -1 since PostgreSQL 14): count, but no further than the critical bound.
        const int bound = 1_000_000;
        var table = new IndexSuggestion(DatabaseKind.Postgres, schema, relation, []).QualifiedTable;
        var counted = Convert.ToDouble(await ScalarAsync(connection, $"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT {bound}) AS t", ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        return (schema, counted, counted >= bound);
    }

    private static async Task<HashSet<string>> ExtensionsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(
            "SELECT extname FROM pg_extension WHERE extname IN ('pg_stat_statements', 'hypopg') " +
            "UNION ALL SELECT name || ' (available)' FROM pg_available_extensions WHERE name = 'hypopg'",
            connection);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    /// <summary>This database's SELECTs with the most total execution time (PostgreSQL 13 renamed total_time to total_exec_time).</summary>
    private static async Task<IReadOnlyList<StatementSample>> FromStatStatementsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        string total = connection.PostgreSqlVersion.Major >= 13 ? "total_exec_time" : "total_time";
        await using var command = new NpgsqlCommand(
            $"SELECT query, calls, {total} FROM pg_stat_statements " +
            "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) " +
            @"AND query ~* '^[\s(]*(select|with)\s' " +
            $"ORDER BY {total} DESC LIMIT 50",
            connection);
        var statements = new List<StatementSample>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            // Another user's statements read "<insufficient privilege>" without pg_read_all_stats.
            string query = reader.IsDBNull(0) ? "" : reader.GetString(0);
            if (query.Length > 0 && !query.StartsWith('<'))
            {
                statements.Add(new StatementSample(query, "pg_stat_statements", reader.GetInt64(1), reader.GetDouble(2)));
            }
        }

        return statements;
    }

    /// <summary>The traces' statements meant for this PostgreSQL database, most total time first.</summary>
    private static IReadOnlyList<StatementSample> FromTraces(IReadOnlyList<TraceStatement> statements, string database) =>
        statements
            .Where(s => s.DbSystem is null or "postgresql" or "postgres")
            .Where(s => s.DbName is null || s.DbName == database)
            .OrderByDescending(s => s.TotalMs)
            .Select(s => new StatementSample(s.Text, "traces", s.Spans, s.TotalMs))
            .ToList();

    private static string StatementsLine(int found, string from, string? statsProblem, int planned, int generic, List<string> skipped, int major)
    {
        string source = statsProblem is null ? $"from {from}, most total time first" : $"from {from} ({statsProblem})";
        if (found == 0)
        {
            return $"statements: none to EXPLAIN {source}";
        }

        int taken = Math.Min(found, MaxStatements);
        string genericText = generic == 0 ? ""
            : major >= 16 ? string.Create(CultureInfo.InvariantCulture, $", {generic} as generic plans (EXPLAIN (GENERIC_PLAN))")
            : string.Create(CultureInfo.InvariantCulture, $", {generic} as generic plans (PREPARE, then EXPLAIN EXECUTE with NULLs under plan_cache_mode = force_generic_plan)");
        string skippedText = skipped.Count == 0 ? ""
            : string.Create(CultureInfo.InvariantCulture, $"; {skipped.Count} skipped ({SafeText.Excerpt(string.Join("; ", skipped.Distinct()), 160)})");
        return string.Create(CultureInfo.InvariantCulture,
            $"statements: {taken} SELECT(s) {source}: {planned} EXPLAINed without running them, each in a read-only transaction{genericText}{skippedText}");
    }

    private static async Task RunAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }

    private static string Message(Exception e) => e.InnerException is { } inner ? $"{e.Message}: {inner.Message}" : e.Message;

    private static string OneLine(string text) => SafeText.OneLine(text).TrimEnd('.');

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
