using PerfTools.Shared.Analysis;

namespace PerfTools.BottleneckDetector;

/// <summary>What Jaeger gave one run: its status (and API version), the services looked at, and the findings.</summary>
internal sealed record TracesAnalysis(
    SourceStatus Status,
    IReadOnlyList<string> Services,
    int TracesAnalyzed,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>The SQL statements of the analysed traces, most total time first, for <c>--database-url</c> to EXPLAIN
    /// when the database keeps no statement statistics.</summary>
    public IReadOnlyList<TraceStatement> Statements { get; init; } = [];
}
