using PerfTools.Shared.Reports.Comparison;

namespace PerfTools.Shared.Reports.Simulation;

/// <summary>The file names of one simulator run as a whole, across its scenarios: the HTML page and, with
/// <c>--baseline</c>, the comparison, under one timestamp (<c>yyyyMMdd_HHmmss</c>, then <c>_2</c>, <c>_3</c> … when taken).</summary>
/// <remarks>Each scenario's own JSON, CSV and PNG keep their <see cref="SimulationReportPaths"/>.</remarks>
public sealed record SimulationRunReportPaths(string Folder, string Timestamp)
{
    public string ReportHtml => Path.Combine(Folder, $"simulation_report_{Timestamp}.html");

    public string ComparisonCsv => Path.Combine(Folder, $"comparison_{Timestamp}.csv");

    public string ComparisonJson => Path.Combine(Folder, $"comparison_{Timestamp}.json");

    public IReadOnlyList<string> All => [ReportHtml, ComparisonCsv, ComparisonJson];

    /// <summary>The first timestamp of <paramref name="startedAt"/> (its clock time as given) with none of the files in
    /// <paramref name="folder"/> yet, held against other runs (threads or processes) until the claim is disposed;
    /// dispose it after the files are written.</summary>
    /// <exception cref="IOException">The folder cannot be created or written.</exception>
    public static ReportClaim<SimulationRunReportPaths> Claim(string folder, DateTimeOffset startedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        // No scenario is called "report", so the first prefix never meets a scenario's claim; comparison_<ts> is also
        // the analyzer's name, and both claim it.
        return ReportTimestamp.Claim(
            folder, ["simulation_report_", "comparison_"], startedAt, ts => new SimulationRunReportPaths(folder, ts), p => p.All);
    }
}
