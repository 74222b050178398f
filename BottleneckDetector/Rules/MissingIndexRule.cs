using System.Globalization;
using PerfTools.BottleneckDetector.Database;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Metrics;
using PerfTools.Shared.Text;
using static PerfTools.BottleneckDetector.Rules.RuleText;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary><c>missing_index</c>: a table read by sequential scans that an index would spare, from two kinds of evidence.</summary>
/// <remarks>
/// <para>From postgres_exporter's table statistics (this class as a metric rule): a table with at least
/// <see cref="DetectorThresholds.MissingIndexMinRows"/> live rows whose scans in the window were less than
/// <see cref="DetectorThresholds.MissingIndexIndexScanShare"/> index scans (PgHero's rule). The counters are cumulative
/// since the statistics were reset, so the window's increase is judged: a table scanned before a fix is not flagged
/// after it. Critical from <see cref="DetectorThresholds.MissingIndexCriticalRows"/> rows.</para>
/// <para>From plans (<see cref="EvaluatePlans"/>, with <c>--database-url</c>): a sequential scan with a filter on a table
/// of at least <see cref="DetectorThresholds.MissingIndexMinPlanRows"/> rows, and, where hypopg is there, a hypothetical
/// index on the filtered columns that cuts the plan's total cost by at least
/// <see cref="DetectorThresholds.MissingIndexMinCostCut"/> (Dexter's rule); one finding per suggested index.</para>
/// </remarks>
public sealed class MissingIndexRule : IMetricRule
{
    public const string RuleId = "missing_index";

    public string Id => RuleId;

    public async Task<IReadOnlyList<Finding>> EvaluateAsync(MetricRuleContext ctx, CancellationToken ct)
    {
        if (ctx.Metrics.TableStats is not { } stats)
        {
            return [];
        }

        var q = TableQueries.For(stats, ctx.Select, ctx.WindowText);
        var seq = await ctx.InstantAsync(q.SeqScans, ct).ConfigureAwait(false);
        var idx = await ctx.InstantAsync(q.IndexScans, ct).ConfigureAwait(false);
        var rows = await ctx.InstantAsync(q.LiveRows, ct).ConfigureAwait(false);
        return EvaluateTableStats(stats, q, seq, idx, rows, ctx.WindowText, ctx.Thresholds, ctx.DatabaseGiven);
    }

    /// <summary>Judges the table statistics' answers.</summary>
    /// <param name="seq">Sequential scans per table in the window.</param>
    /// <param name="idx">Index scans per table in the window (a table without any index has none).</param>
    /// <param name="rows">Live rows per table.</param>
    /// <param name="databaseGiven"><c>--database-url</c> was given: the advice does not ask for it.</param>
    public static IReadOnlyList<Finding> EvaluateTableStats(
        TableStatsMetrics stats, TableQueries queries, PrometheusQueryResult seq, PrometheusQueryResult idx, PrometheusQueryResult rows,
        string window, DetectorThresholds thresholds, bool databaseGiven = false)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(thresholds);
        string Key(PrometheusSeries s) => string.Join("\u0000", stats.TableLabels.Select(s.Label));
        var indexScans = idx.Series.GroupBy(Key).ToDictionary(g => g.Key, g => g.Sum(s => IsNumber(s.Value) ? s.Value : 0), StringComparer.Ordinal);
        var liveRows = rows.Series.GroupBy(Key).ToDictionary(g => g.Key, g => g.Max(s => IsNumber(s.Value) ? s.Value : 0), StringComparer.Ordinal);
        var findings = new List<Finding>();
        foreach (var table in seq.Series.OrderByDescending(s => s.Value))
        {
            double seqScans = IsNumber(table.Value) ? table.Value : 0;
            double indexScanCount = indexScans.GetValueOrDefault(Key(table));
            double live = liveRows.GetValueOrDefault(Key(table));
            // increase() extrapolates to the window's edges: under half a scan is no scan.
            if (seqScans < 0.5 || live < thresholds.MissingIndexMinRows)
            {
                continue;
            }

            double indexShare = indexScanCount / (seqScans + indexScanCount);
            if (indexShare >= thresholds.MissingIndexIndexScanShare)
            {
                continue;
            }

            string datname = table.Label("datname"), schema = table.Label("schemaname"), relname = table.Label("relname");
            string target = string.Join(".", new[] { datname, schema, relname }.Where(p => p.Length > 0));
            string ask = databaseGiven
                ? "The EXPLAIN findings of --database-url, if any, name the statements and the exact index."
                : $"Pass --database-url (a postgres:// URL of {(datname.Length > 0 ? $"database {datname}" : "its database")}) and the detector EXPLAINs the slowest statements and writes the CREATE INDEX.";
            findings.Add(new Finding(
                RuleId,
                live >= thresholds.MissingIndexCriticalRows ? Severity.Critical : Severity.Warning,
                target,
                1 - indexShare,
                "ratio",
                1 - thresholds.MissingIndexIndexScanShare,
                $"{queries.SeqScans} = {N(seqScans, "0.#")}; {queries.IndexScans} = {N(indexScanCount, "0.#")}; {queries.LiveRows} = {N(live, "0")}",
                $"{relname} ({N(live, "#,0")} rows) was read by {N(seqScans, "0")} sequential scan(s) and {N(indexScanCount, "0")} index scan(s) " +
                $"in the {window} window ({N((1 - indexShare) * 100, "0")} % sequential, each reading the whole table): the queries on it filter on " +
                $"columns no index covers. Index the columns they filter on (equality columns first). {ask}")
            {
                NextSteps =
                [
                    $"list the statements that read {relname} most, in psql on {(datname.Length > 0 ? datname : "its database")}: SELECT calls, " +
                    $"round(total_exec_time) AS total_ms, query FROM pg_stat_statements WHERE query ILIKE '%{relname.Replace("'", "''", StringComparison.Ordinal)}%' " +
                    "ORDER BY total_exec_time DESC LIMIT 10; then EXPLAIN the first ones",
                ],
            });
        }

        return findings;
    }

    /// <summary>Judges the plans <c>--database-url</c> EXPLAINed: one finding per suggested index.</summary>
    /// <param name="hypopg">hypopg was there to check each index; without it the finding says so.</param>
    internal static IReadOnlyList<Finding> EvaluatePlans(IReadOnlyList<ExplainedStatement> explained, DetectorThresholds thresholds, bool hypopg)
    {
        ArgumentNullException.ThrowIfNull(explained);
        ArgumentNullException.ThrowIfNull(thresholds);
        var findings = new List<Finding>();
        foreach (var group in explained.GroupBy(e => e.Index.ToString(), StringComparer.Ordinal))
        {
            var kept = group
                .Where(e => e.TableRows >= thresholds.MissingIndexMinPlanRows && (CostCut(e) is not { } cut || cut >= thresholds.MissingIndexMinCostCut))
                .ToList();
            if (kept.Count == 0)
            {
                continue;
            }

            // The statement that costs most in all speaks for the group.
            var head = kept.OrderByDescending(e => e.Statement.TotalMs ?? 0).ThenByDescending(e => e.Cost ?? 0).First();
            IndexSuggestion index = head.Index;
            string rows = $"{(head.TableRowsAtLeast ? "at least " : "~")}{N(head.TableRows, "#,0")} rows";
            string cut = CostCut(head) is { } c
                ? string.Create(CultureInfo.InvariantCulture, $"; an index on them, tried as a hypothetical index (hypopg), cuts the plan's cost from {head.Cost:0.##} to {head.HypotheticalCost:0.##} (-{c * 100:0} %)")
                : "";
            string statements = kept.Count == 1 ? "1 statement" : $"{kept.Count} statements";
            string evidence = $"{head.How} of {Quote(head.Statement)}: {head.Scan}, {rows}" +
                (head.Cost is { } cost ? string.Create(CultureInfo.InvariantCulture, $", total cost {cost:0.##}") : "") +
                (CostCut(head) is { } cc ? string.Create(CultureInfo.InvariantCulture, $"; hypothetical index {index.Hypothetical}: {head.HypotheticalCost:0.##} (-{cc * 100:0} %)") : "") +
                (kept.Count > 1 ? $"; {kept.Count - 1} more statement(s) with the same scan" : "");
            var steps = new List<string>
            {
                $"create it (off-peak on a big table): {index.CreateIndex} then run the detector again with --database-url: the plan should use {index.Name} and the finding go",
            };
            if (index.Kind == DatabaseKind.Postgres && !hypopg)
            {
                steps.Add("to see an index's effect before building it, install hypopg (Debian: postgresql-NN-hypopg) and run CREATE EXTENSION hypopg; " +
                    "in that database: the detector then checks each suggestion with a hypothetical index");
            }

            findings.Add(new Finding(
                RuleId,
                head.TableRows >= thresholds.MissingIndexCriticalRows ? Severity.Critical : Severity.Warning,
                head.Target,
                head.TableRows,
                "rows",
                thresholds.MissingIndexMinPlanRows,
                evidence,
                $"{statements} read all of {head.Target} ({rows}) to keep only the rows matching a condition on {index.ColumnList}{cut}: " +
                $"create the index the plan lacks: {index.CreateIndex}")
            {
                NextSteps = steps,
            });
        }

        return findings;
    }

    /// <summary>What the table statistics, the database and the statements' source let missing_index look at, and what
    /// it lacked, in one line for the report's section; null when it lacked nothing.</summary>
    /// <param name="database">The database's status; null without <c>--database-url</c>.</param>
    public static string? Coverage(DiscoveredMetrics? discovered, SourceStatus? database)
    {
        bool tables = discovered?.TableStats is not null;
        bool exporter = discovered?.PostgresExporter == true;
        bool explained = database is { Reachable: true };
        string noTables = exporter
            ? $"postgres_exporter exports no table statistics (start it with {TableStatsMetrics.ExporterQueriesFlag})"
            : "no table statistics from postgres_exporter";
        return (tables, explained, database) switch
        {
            (true, true, _) => null,
            (true, false, null) => "missing_index: table statistics only; pass --database-url to EXPLAIN the slowest statements",
            (true, false, _) => "missing_index: table statistics only (the database could not be asked)",
            (false, true, _) => $"missing_index: EXPLAIN only; {noTables}",
            (false, false, null) => $"missing_index: not checked ({noTables}, and no --database-url to EXPLAIN the slowest statements)",
            _ => $"missing_index: not checked ({noTables}, and the database could not be asked)",
        };
    }

    private static double? CostCut(ExplainedStatement e) =>
        e.Cost is > 0 && e.HypotheticalCost is { } after ? 1 - (after / e.Cost.Value) : null;

    private static string Quote(StatementSample s) => "'" + SafeText.Excerpt(SafeText.OneLine(s.Text), 160) + "'";
}

/// <summary>The PromQL missing_index asks postgres_exporter's table statistics, grouped by the table's labels.</summary>
public sealed record TableQueries(string SeqScans, string IndexScans, string LiveRows)
{
    public static TableQueries For(TableStatsMetrics stats, Func<string, string?[], string> select, string window)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(select);
        string by = string.Join(", ", stats.TableLabels);
        return new TableQueries(
            $"sum by ({by}) (increase({select(stats.SeqScan, [])}[{window}]))",
            $"sum by ({by}) (increase({select(stats.IdxScan, [])}[{window}]))",
            $"max by ({by}) (last_over_time({select(stats.LiveRows, [])}[{window}]))");
    }
}
