using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Analysis;

namespace PerfTools.BottleneckDetector.Database;

/// <summary>The database side of a run: EXPLAINs the slowest statements of the database <c>--database-url</c> names
/// (<see cref="PostgresExplainer"/>, <see cref="SqliteExplainer"/>) and judges the plans (<see cref="MissingIndexRule"/>).
/// Without <c>--database-url</c> it asks nothing.</summary>
internal sealed class ExplainingDatabaseAnalyzer : IDatabaseAnalyzer
{
    public Task<DatabaseAnalysis> AnalyzeAsync(
        DetectorSettings settings, Func<Task<IReadOnlyList<TraceStatement>>> traceStatements, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(traceStatements);
        var thresholds = new DetectorThresholds();
        return settings.Database switch
        {
            null => Task.FromResult(NotGiven),
            { Kind: DatabaseKind.Postgres } target => new PostgresExplainer(target, settings.TimeoutSeconds).AnalyzeAsync(traceStatements, thresholds, ct),
            { } target => new SqliteExplainer(target, settings.TimeoutSeconds).AnalyzeAsync(traceStatements, thresholds, ct),
        };
    }

    /// <summary>What a run without <c>--database-url</c> has: nothing asked, nothing found.</summary>
    public static DatabaseAnalysis NotGiven { get; } = new(new SourceStatus("", SourceState.Unreachable), [], []);
}
