namespace PerfTools.Shared.Metrics;

/// <summary>postgres_exporter's per-table statistics (<c>pg_stat_user_tables</c>), as discovery found them.</summary>
/// <param name="SeqScan">Counter of sequential scans since the statistics were reset: <c>pg_stat_user_tables_seq_scan</c>.</param>
/// <param name="IdxScan">Counter of index scans: <c>pg_stat_user_tables_idx_scan</c>.</param>
/// <param name="LiveRows">Gauge of estimated live rows: <c>pg_stat_user_tables_n_live_tup</c>.</param>
/// <param name="TableLabels">The labels that name a table, of <c>server</c>, <c>datname</c>, <c>schemaname</c>, <c>relname</c>, as present.</param>
public sealed record TableStatsMetrics(string SeqScan, string IdxScan, string LiveRows, IReadOnlyList<string> TableLabels)
{
    /// <summary>The example queries file of Debian's prometheus-postgres-exporter, which adds <c>pg_stat_user_tables</c>
    /// to exporters before 0.13 (their built-in collectors lack it).</summary>
    public const string ExporterQueriesFlag = "--extend.query-path=/usr/share/doc/prometheus-postgres-exporter/examples/queries.yaml";

    // By value: a record compares a list by reference.
    public bool Equals(TableStatsMetrics? other) =>
        other is not null && SeqScan == other.SeqScan && IdxScan == other.IdxScan && LiveRows == other.LiveRows
        && TableLabels.SequenceEqual(other.TableLabels, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(SeqScan, IdxScan, LiveRows, TableLabels.Count);
}
