using PerfTools.BottleneckDetector;
using PerfTools.BottleneckDetector.Database;
using PerfTools.Shared.Analysis;

namespace PerfTools.Tests.BottleneckDetector.App;

/// <summary>Answers with a fixed <see cref="DatabaseAnalysis"/> and records the trace statements it was offered.</summary>
internal sealed class FakeDatabaseAnalyzer(DatabaseAnalysis result, bool readTraces = false) : IDatabaseAnalyzer
{
    public int Calls { get; private set; }

    public IReadOnlyList<TraceStatement>? TraceStatements { get; private set; }

    public static DatabaseAnalysis Reachable(string url, params Finding[] findings) => new(
        new SourceStatus(url, true, "SQLite 3.40.1"),
        ["server: SQLite 3.40.1 (file, opened read-only)", "statements: 1 SELECT(s) from the analysed traces, most total time first: 1 asked for EXPLAIN QUERY PLAN, read-only"],
        findings);

    public static DatabaseAnalysis Unreachable(string url, string message, string fix) => new(new SourceStatus(url, false, null, message), [], [], fix);

    public async Task<DatabaseAnalysis> AnalyzeAsync(DetectorSettings settings, Func<Task<IReadOnlyList<TraceStatement>>> traceStatements, CancellationToken ct)
    {
        Calls++;
        if (readTraces)
        {
            TraceStatements = await traceStatements();
        }

        await Task.Yield();
        return result;
    }
}
