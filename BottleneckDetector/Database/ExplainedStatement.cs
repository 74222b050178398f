namespace PerfTools.BottleneckDetector.Database;

/// <summary>A statement to EXPLAIN and where it came from.</summary>
/// <param name="Source"><c>pg_stat_statements</c> or <c>traces</c>.</param>
/// <param name="Calls">How often it ran (pg_stat_statements' calls, or the spans seen); null when unknown.</param>
/// <param name="TotalMs">The time it took in all, ms.</param>
internal sealed record StatementSample(string Text, string Source, long? Calls, double? TotalMs);

/// <summary>A statement whose plan reads a table by a full scan that an index on the filtered columns would avoid: what
/// missing_index judges (<see cref="Rules.MissingIndexRule.EvaluatePlans"/>).</summary>
/// <param name="How">How the plan was made: <c>EXPLAIN (FORMAT JSON)</c>, <c>a generic plan (…)</c>, <c>EXPLAIN QUERY PLAN</c>.</param>
/// <param name="Scan">The plan's words for the scan: <c>Seq Scan on comments, Filter (post_id = $1)</c>, <c>SCAN comments</c>.</param>
/// <param name="TableRows">Rows in the table (PostgreSQL's estimate, pg_class.reltuples; SQLite counted up to a bound).</param>
/// <param name="TableRowsAtLeast">The count stopped at its bound: the table has at least <paramref name="TableRows"/> rows.</param>
/// <param name="Cost">The plan's total cost (PostgreSQL); null on SQLite.</param>
/// <param name="HypotheticalCost">The total cost with the suggested index as a hypopg hypothetical index; null without hypopg.</param>
/// <param name="Target">The table as findings name it: <c>forum.public.comments</c>, or <c>comments</c> on SQLite.</param>
internal sealed record ExplainedStatement(
    StatementSample Statement,
    string How,
    IndexSuggestion Index,
    string Scan,
    double TableRows,
    bool TableRowsAtLeast,
    double? Cost,
    double? HypotheticalCost,
    string Target);
