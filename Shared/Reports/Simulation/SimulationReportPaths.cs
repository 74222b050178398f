using PerfTools.Shared.Text;

namespace PerfTools.Shared.Reports.Simulation;

/// <summary>The file names of one simulated scenario's reports: <c>simulation_&lt;scenario&gt;_&lt;ts&gt;</c> with one
/// timestamp (<c>yyyyMMdd_HHmmss</c>, then <c>_2</c>, <c>_3</c> … when taken) for the JSON, CSV, PNG, .hlog and .hgrm.</summary>
public sealed record SimulationReportPaths(string Folder, string Scenario, string Timestamp)
{
    public string Json => Path.Combine(Folder, $"simulation_{Scenario}_{Timestamp}.json");

    public string Csv => Path.Combine(Folder, $"simulation_{Scenario}_{Timestamp}.csv");

    public string Png => Path.Combine(Folder, $"simulation_{Scenario}_{Timestamp}.png");

    /// <summary>HdrHistogram's interval log of the run, one histogram per tag and second (<see cref="SimulationHlog"/>).</summary>
    public string Hlog => Path.Combine(Folder, $"simulation_{Scenario}_{Timestamp}.hlog");

    /// <summary>The percentile distribution, HdrHistogram's text; written by <c>--merge</c>.</summary>
    public string Hgrm => Path.Combine(Folder, $"simulation_{Scenario}_{Timestamp}.hgrm");

    public IReadOnlyList<string> All => [Json, Csv, Png, Hlog, Hgrm];

    /// <summary>The first timestamp of <paramref name="startedAt"/> (its clock time as given) with none of the three
    /// files in <paramref name="folder"/> yet, so a second run in the same second does not overwrite the first.</summary>
    /// <remarks>Not held: a run that writes later uses <see cref="Claim"/>.</remarks>
    public static SimulationReportPaths ForRun(string folder, string scenario, DateTimeOffset startedAt)
    {
        using var claim = Claim(folder, scenario, startedAt);
        return claim.Paths;
    }

    /// <summary>As <see cref="ForRun"/>, held against other runs (threads or processes) until the claim is disposed;
    /// dispose it after the reports are written.</summary>
    /// <exception cref="IOException">The folder cannot be created or written.</exception>
    public static ReportClaim<SimulationReportPaths> Claim(string folder, string scenario, DateTimeOffset startedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(scenario);
        // The only name part not made here: whatever it holds, the files stay in the folder.
        scenario = SafeText.FileNamePart(scenario);
        return ReportTimestamp.Claim(
            folder, $"simulation_{scenario}_", startedAt, ts => new SimulationReportPaths(folder, scenario, ts), p => p.All);
    }
}
