namespace PerfTools.BottleneckDetector;

/// <summary>A SQL statement seen in the analysed traces (<c>db.query.text</c>, <c>db.statement</c>), with the time its
/// spans took in all: what <c>--database-url</c> EXPLAINs when the database keeps no statement statistics.</summary>
/// <param name="DbSystem">The span's <c>db.system</c> (<c>db.system.name</c>), e.g. <c>postgresql</c>; null when not said.</param>
/// <param name="DbName">The span's <c>db.namespace</c> (<c>db.name</c>); null when not said.</param>
internal sealed record TraceStatement(string Text, string? DbSystem, string? DbName, int Spans, double TotalMs);
