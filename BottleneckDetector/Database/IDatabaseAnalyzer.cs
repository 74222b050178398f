namespace PerfTools.BottleneckDetector.Database;

/// <summary>The database side of a run (<c>--database-url</c>): EXPLAINs the slowest statements, read-only, and judges
/// their plans.</summary>
internal interface IDatabaseAnalyzer
{
    /// <summary>Never throws for an unreachable database: that is a result (<see cref="DatabaseAnalysis.Status"/>).</summary>
    /// <param name="traceStatements">The statements of the analysed traces, for when the database keeps no statistics of its
    /// own (no pg_stat_statements, or SQLite); awaited only then.</param>
    Task<DatabaseAnalysis> AnalyzeAsync(
        DetectorSettings settings, Func<Task<IReadOnlyList<TraceStatement>>> traceStatements, CancellationToken ct);
}
