using System.Globalization;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports;
using PerfTools.Shared.Reports.Simulation;
using PerfTools.Shared.Text;

namespace PerfTools.BottleneckSimulator;

/// <summary><c>--merge</c>: adds the shards of one schedule (already read and checked) into the reports one run
/// writes (JSON, CSV, PNG, .hlog, the run's HTML page) plus the .hgrm percentile distribution; sends nothing.</summary>
internal sealed class MergeCommand(SimulationMerge merge, string output, TextWriter stdout, TextWriter stderr, Redactor redactor, TimeProvider time)
{
    /// <summary>A spread of first sends above this is worth a line of its own: seconds no longer line up well.</summary>
    private const double SkewWarningMs = 100;

    public int Execute()
    {
        var c = CultureInfo.InvariantCulture;
        SimulationStats stats = merge.Merged();
        stdout.WriteLine(string.Create(c, $"merge: {merge.Parts.Count} shards of {stats.Scenario} at {stats.TargetRps:0.###} rps for {stats.DurationSeconds:0.###} s from {stats.StartedAt.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss.fff'Z'}"));
        foreach (SimulationMerge.Part p in merge.Parts)
        {
            stdout.WriteLine(string.Create(c, $"  shard {p.Shard}: {p.Sent} of {p.Due?.ToString(c) ?? "-"} due sent, {p.Stats.Requests} requests  ({Path.GetFileName(p.Stem)})"));
        }

        if (merge.Skew() is { } skew)
        {
            string each = string.Join(", ", skew.Parts.Select(l => string.Create(c, $"{l.Shard} {l.LeadMs:+0.0;-0.0} ms")));
            stdout.WriteLine(string.Create(c, $"  first sends against their due times: {each}; spread {skew.SpreadMs:0.0} ms (clock skew between the machines plus start-up jitter)"));
            if (skew.SpreadMs > SkewWarningMs)
            {
                stdout.WriteLine(string.Create(c, $"  WARNING: the shards' first sends are {skew.SpreadMs:0} ms apart: check the machines' clocks (chrony/NTP); a second of one shard is then not the same second of another"));
            }
        }

        if (merge.RoutesLeftOut)
        {
            stdout.WriteLine("  routes: not merged (a part has routes without their histograms: written by an older version); the figures are the headline routes'");
        }

        stdout.WriteLine();
        ScenarioSummary.Write(stdout, stats, interrupted: false);
        bool roundBased = merge.Parts[0].RoundBased;
        string from = string.Join(", ", merge.Parts.Select(p => $"{p.Shard} {Path.GetFileName(p.Stem)}"));
        try
        {
            byte[] chart;
            using (var claim = SimulationReportPaths.Claim(output, stats.Scenario, stats.StartedAt.ToLocalTime()))
            {
                SimulationReportPaths paths = claim.Paths;
                SimulationJson.WriteFile(paths.Json, stats);
                SimulationCsv.WriteFile(paths.Csv, stats.Seconds);
                chart = new SimulationChart().WriteFile(paths.Png, stats);
                SimulationHlog.WriteFile(paths.Hlog, stats, roundBased, mergedFrom: from);
                var overall = SecondHistogram.NewHistogram();
                foreach (var (value, count) in stats.LatencyHistogram)
                {
                    overall.RecordValueWithCount(value, count);
                }

                SimulationHlog.WriteHgrm(paths.Hgrm, overall);
                stdout.WriteLine($"  reports: {paths.Json}, {Path.GetFileName(paths.Csv)}, {Path.GetFileName(paths.Png)}, {Path.GetFileName(paths.Hlog)}, {Path.GetFileName(paths.Hgrm)}");
            }

            DateTimeOffset runAt = time.GetLocalNow();
            using var run = SimulationRunReportPaths.Claim(output, runAt);
            var settings = new RunSettingsTable(redactor)
                .Add("merged from", from)
                .Add("shards", merge.Parts.Count.ToString(c))
                .Add("start", stats.StartedAt.ToUniversalTime().ToString("o", c))
                .Add("report timestamp", run.Paths.Timestamp);
            var scenario = new SimulationHtmlScenario(stats.Scenario, stats, chart, null);
            SimulationHtml.Build(new SimulationHtmlContent(runAt, settings, [], [scenario], null)).WriteFile(run.Paths.ReportHtml);
            stdout.WriteLine($"html report: {run.Paths.ReportHtml}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{SimulatorApp.ToolName}: could not write the reports to {output}: {SafeText.OneLine(e.Message)}");
            return ExitCodes.Failed;
        }

        return ExitCodes.Ok;
    }
}
