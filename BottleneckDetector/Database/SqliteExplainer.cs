using System.Globalization;
using Microsoft.Data.Sqlite;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Text;

namespace PerfTools.BottleneckDetector.Database;

/// <summary>Asks a SQLite database file for the query plans of the traces' statements, opened read-only: only
/// <c>EXPLAIN QUERY PLAN</c> of a single SELECT (parameters bound to NULL) and a bounded <c>count(*)</c> of a scanned
/// table are run. SQLite keeps no statement statistics, so the statements come from the traces.</summary>
internal sealed class SqliteExplainer(DatabaseTarget target, double timeoutSeconds)
{
    /// <summary>How far a table's rows are counted: enough to tell the critical size.</summary>
    private const int RowBound = 1_000_000;

    public async Task<DatabaseAnalysis> AnalyzeAsync(
        Func<Task<IReadOnlyList<TraceStatement>>> traceStatements, Rules.DetectorThresholds thresholds, CancellationToken ct)
    {
        string path = target.Database;
        var settings = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = (int)Math.Clamp(Math.Ceiling(timeoutSeconds), 1, int.MaxValue),
        };
        await using var connection = new SqliteConnection(settings.ConnectionString);
        string version;
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            version = "SQLite " + (string)(await Scalar(connection, "SELECT sqlite_version()", ct).ConfigureAwait(false))!;
        }
        catch (SqliteException e)
        {
            return new DatabaseAnalysis(
                new SourceStatus(path, false, null, $"cannot read SQLite database '{path}' ({SafeText.OneLine(e.Message).TrimEnd('.')})"),
                [], [], "pass a readable SQLite database file as --database-url");
        }

        var statements = (await traceStatements().ConfigureAwait(false))
            .Where(s => s.DbSystem is null or "sqlite")
            .OrderByDescending(s => s.TotalMs)
            .Select(s => new StatementSample(s.Text, "traces", s.Spans, s.TotalMs))
            .ToList();
        var explained = new List<ExplainedStatement>();
        var skipped = new List<string>();
        int planned = 0;
        foreach (StatementSample statement in statements.Take(PostgresExplainer.MaxStatements))
        {
            ct.ThrowIfCancellationRequested();
            if (SqlStatement.RefuseReason(statement.Text) is { } refused)
            {
                skipped.Add(refused);
                continue;
            }

            try
            {
                explained.AddRange(await ExplainAsync(connection, statement, ct).ConfigureAwait(false));
                planned++;
            }
            catch (SqliteException e)
            {
                skipped.Add(SafeText.OneLine(e.Message).TrimEnd('.'));
            }
        }

        string line = statements.Count == 0
            ? "statements: none to EXPLAIN (SQLite keeps no statement statistics, and the analysed traces hold no db.statement)"
            : string.Create(CultureInfo.InvariantCulture,
                $"statements: {Math.Min(statements.Count, PostgresExplainer.MaxStatements)} SELECT(s) from the analysed traces, most total time first: {planned} asked for EXPLAIN QUERY PLAN, read-only{Skipped(skipped)}");
        return new DatabaseAnalysis(
            new SourceStatus(path, true, version), [$"server: {version} (file, opened read-only)", line],
            Rules.MissingIndexRule.EvaluatePlans(explained, thresholds, hypopg: false));
    }

    private static async Task<IReadOnlyList<ExplainedStatement>> ExplainAsync(SqliteConnection connection, StatementSample statement, CancellationToken ct)
    {
        var details = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "EXPLAIN QUERY PLAN " + statement.Text;
            // A generic plan: SQLite plans a NULL parameter as it plans any value it does not know.
            foreach (string name in SqlStatement.NamedParameters(statement.Text))
            {
                command.Parameters.AddWithValue(name, DBNull.Value);
            }

            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                details.Add(reader.GetString(3));
            }
        }

        var tokens = SqlTokens.Tokenize(statement.Text);
        var tables = SqlFrom.Tables(tokens);
        var where = SqlFrom.Where(tokens);
        var found = new List<ExplainedStatement>();
        foreach (string scanned in SqliteQueryPlan.FullScans(details))
        {
            // The plan names a table by its alias when the statement gave one.
            var (table, alias) = tables.FirstOrDefault(t => t.Alias == scanned.ToLowerInvariant() || t.Table == scanned.ToLowerInvariant());
            if (table is null || where is null)
            {
                continue;
            }

            var names = new HashSet<string>(StringComparer.Ordinal) { table };
            if (alias is not null)
            {
                names.Add(alias);
            }

            var columns = IndexSuggestion.ColumnsOf(where, names, unqualifiedIsOurs: tables.Count == 1);
            if (columns.Count == 0)
            {
                continue;
            }

            var index = new IndexSuggestion(DatabaseKind.Sqlite, null, table, columns);
            double rows = Convert.ToDouble(await Scalar(connection, $"SELECT count(*) FROM (SELECT 1 FROM {index.QualifiedTable} LIMIT {RowBound})", ct).ConfigureAwait(false),
                CultureInfo.InvariantCulture);
            found.Add(new ExplainedStatement(
                statement, "EXPLAIN QUERY PLAN", index, $"SCAN {scanned} (no index; WHERE {SqlTokens.Join(where)})", rows, rows >= RowBound, null, null, table));
        }

        return found;
    }

    private static string Skipped(List<string> skipped) => skipped.Count == 0
        ? ""
        : string.Create(CultureInfo.InvariantCulture, $"; {skipped.Count} skipped ({SafeText.Excerpt(string.Join("; ", skipped.Distinct()), 160)})");

    private static async Task<object?> Scalar(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }
}
