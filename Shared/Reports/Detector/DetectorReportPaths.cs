using PerfTools.Shared.Reports.Comparison;

namespace PerfTools.Shared.Reports.Detector;

/// <summary>The file names of one detector run: <c>bottleneck_report_&lt;ts&gt;.txt</c>, <c>.png</c> and <c>.html</c>,
/// <c>bottleneck_findings_&lt;ts&gt;.json</c> and <c>.csv</c>, and with a baseline <c>bottleneck_comparison_&lt;ts&gt;.json</c>
/// and <c>.csv</c>; one timestamp for all.</summary>
public sealed record DetectorReportPaths(string Folder, string Timestamp)
{
    public string Text => Path.Combine(Folder, $"bottleneck_report_{Timestamp}.txt");

    public string Png => Path.Combine(Folder, $"bottleneck_report_{Timestamp}.png");

    public string Json => Path.Combine(Folder, $"bottleneck_findings_{Timestamp}.json");

    public string Csv => Path.Combine(Folder, $"bottleneck_findings_{Timestamp}.csv");

    public string Html => Path.Combine(Folder, $"bottleneck_report_{Timestamp}.html");

    public string ComparisonJson => Path.Combine(Folder, $"bottleneck_comparison_{Timestamp}.json");

    public string ComparisonCsv => Path.Combine(Folder, $"bottleneck_comparison_{Timestamp}.csv");

    /// <summary>Every name a run may write (the comparison only with a baseline): a timestamp is free when none exists.</summary>
    public IReadOnlyList<string> All => [Text, Json, Csv, Png, Html, ComparisonJson, ComparisonCsv];

    /// <summary>The files a run writes, in the order the console lists them.</summary>
    public IReadOnlyList<string> Written(bool withComparison) =>
        withComparison ? [Text, Json, Csv, Png, Html, ComparisonJson, ComparisonCsv] : [Text, Json, Csv, Png, Html];

    /// <summary>The first timestamp of <paramref name="startedAt"/> with none of the files in
    /// <paramref name="folder"/> yet. Not held: a run that writes later uses <see cref="Claim"/>.</summary>
    public static DetectorReportPaths ForRun(string folder, DateTimeOffset startedAt)
    {
        using var claim = Claim(folder, startedAt);
        return claim.Paths;
    }

    /// <summary>As <see cref="ForRun"/>, held against other runs (threads or processes) until the claim is disposed;
    /// dispose it after the reports are written.</summary>
    /// <exception cref="IOException">The folder cannot be created or written.</exception>
    public static ReportClaim<DetectorReportPaths> Claim(string folder, DateTimeOffset startedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        return ReportTimestamp.Claim(folder, "bottleneck_", startedAt, ts => new DetectorReportPaths(folder, ts), p => p.All);
    }

    /// <summary>Writes bytes (the chart, drawn once for the PNG file and the HTML page) whole or not at all.</summary>
    public static void WriteBytes(string path, byte[] bytes) => AtomicFile.Write(path, stream => stream.Write(bytes));

    /// <summary>Writes text (the console report, as printed) whole or not at all.</summary>
    public static void WriteText(string path, string text) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        });
}
