using PerfTools.Shared.Reports.Comparison;

namespace PerfTools.Shared.Reports.Analyzer;

/// <summary>The file names of one run's reports: one timestamp (<c>yyyyMMdd_HHmmss</c>, with <c>_2</c>, <c>_3</c> … when taken) for the whole set.</summary>
public sealed record PerformanceReportPaths(string Folder, string Timestamp)
{
    public string ChartPng => Path.Combine(Folder, $"performance_report_{Timestamp}.png");

    public string DataJson => Path.Combine(Folder, $"performance_data_{Timestamp}.json");

    public string SummaryCsv => Path.Combine(Folder, $"performance_summary_{Timestamp}.csv");

    public string RequestsCsv => Path.Combine(Folder, $"performance_requests_{Timestamp}.csv");

    /// <summary>The one page of the run: settings, tables, chart, trace explanations, comparison.</summary>
    public string ReportHtml => Path.Combine(Folder, $"performance_report_{Timestamp}.html");

    /// <summary>Written only with <c>--baseline</c>; named here so a run never takes a timestamp whose comparison exists.</summary>
    public string ComparisonCsv => Path.Combine(Folder, $"comparison_{Timestamp}.csv");

    /// <summary>As <see cref="ComparisonCsv"/>.</summary>
    public string ComparisonJson => Path.Combine(Folder, $"comparison_{Timestamp}.json");

    public IReadOnlyList<string> All => [ChartPng, DataJson, SummaryCsv, RequestsCsv, ReportHtml, ComparisonCsv, ComparisonJson];

    /// <summary>Names for a run starting now (local clock time, as the Python script's <c>datetime.now()</c>).</summary>
    public static PerformanceReportPaths ForRun(string folder, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return ForRun(folder, time.GetLocalNow());
    }

    /// <summary>
    /// Names for a run started at <paramref name="startedAt"/> (its clock time as given): the first timestamp with
    /// none of the files in <paramref name="folder"/> yet, so a second run in the same second gets <c>_2</c>.
    /// Not held: a run that writes later uses <see cref="Claim"/>.
    /// </summary>
    public static PerformanceReportPaths ForRun(string folder, DateTimeOffset startedAt)
    {
        using var claim = Claim(folder, startedAt);
        return claim.Paths;
    }

    /// <summary>As <see cref="ForRun(string, DateTimeOffset)"/>, held against other runs (threads or processes) until
    /// the claim is disposed; dispose it after the reports are written.</summary>
    /// <exception cref="IOException">The folder cannot be created or written.</exception>
    public static ReportClaim<PerformanceReportPaths> Claim(string folder, DateTimeOffset startedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        // comparison_<ts> is also the simulator's name: both claim it, so two tools in one second cannot share it.
        return ReportTimestamp.Claim(folder, ["performance_", "comparison_"], startedAt, ts => new PerformanceReportPaths(folder, ts), p => p.All);
    }
}
