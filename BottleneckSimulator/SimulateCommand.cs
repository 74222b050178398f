using System.Globalization;
using PerfTools.BottleneckSimulator.Scenarios;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Http;
using PerfTools.Shared.Reports;
using PerfTools.Shared.Reports.Comparison;
using PerfTools.Shared.Reports.Simulation;
using PerfTools.Shared.Text;

namespace PerfTools.BottleneckSimulator;

/// <summary>Runs the chosen scenarios in turn: a live line while each runs, then its summary and its reports (also
/// when interrupted or unreachable), and the exit code for the whole run.</summary>
internal sealed class SimulateCommand(
    SimulatorSettings settings, TextWriter stdout, TextWriter stderr, bool interactive, Redactor redactor, TimeProvider time,
    Action<RequestResult>? observe)
{
    private static readonly TimeSpan LiveInterval = TimeSpan.FromSeconds(1);

    public async Task<int> ExecuteAsync(CancellationToken ct)
    {
        DateTimeOffset runAt = time.GetLocalNow();
        using var client = new HttpLoadClient(new HttpLoadClientOptions(settings.TimeoutSeconds, settings.MaxInFlight, settings.Insecure), time);
        bool unreachable = false;
        long ok = 0;
        var scenarios = new List<SimulationHtmlScenario>();
        var status = new List<string>(); // the stderr lines about how the run went, for the HTML page too
        foreach (string name in settings.Scenarios)
        {
            if (ct.IsCancellationRequested || unreachable)
            {
                break;
            }

            IScenario scenario = (ScenarioRegistry.Find(name) ?? throw new InvalidOperationException($"unknown scenario '{name}'")).Create();
            using var context = new ScenarioContext(name, settings, client, time, observe);
            string warmup = settings.Warmup > TimeSpan.Zero ? $" after a {settings.Warmup.TotalSeconds:0} s warm-up" : "";
            // A shard says which share of the schedule it sends, and from when, so N consoles side by side add up.
            string shard = settings.Shard.Count > 1 ? $", shard {settings.Shard} of the schedule" : "";
            string startAt = settings.StartAt is { } at
                ? string.Create(CultureInfo.InvariantCulture, $", starting at {at.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fff}Z")
                : "";
            stdout.WriteLine($"{name}: {scenario.Describe(settings)} for {settings.Duration.TotalSeconds:0} s{warmup}{shard}{startAt} against {settings.BaseUrl}");
            ScenarioOutcome outcome = await RunWithLiveLineAsync(name, scenario, context, ct).ConfigureAwait(false);
            if (context.Unreachable is { } line)
            {
                stderr.WriteLine(line);
                status.Add(redactor.Redact(line));
                unreachable = true;
            }

            if (context.Recorder is not { } recorder || outcome.Run is not { } run)
            {
                string reason = outcome.SkipReason ?? "interrupted during setup";
                stdout.WriteLine($"{name}: skipped: {reason}");
                stdout.WriteLine();
                scenarios.Add(new SimulationHtmlScenario(name, null, null, redactor.Redact("skipped: " + reason)));
                continue;
            }

            SimulationStats stats = recorder.Complete(
                run.Elapsed.TotalSeconds, outcome.RoundBased ? run.Started : null, outcome.RoundBased ? run.Late : null) with
            {
                WarmupSeconds = settings.Warmup.TotalSeconds,
                WarmupRequests = context.WarmupRequests,
            };
            stats = stats with
            {
                Shard = settings.Shard,
                StartAtGiven = settings.StartAt is not null,
                Due = context.Due,
                FirstDue = context.FirstDue,
            };
            if (stats.TargetRps > 0 || outcome.RoundBased)
            {
                // A schedule ran (the closed model has none, so nothing in it is late).
                stats = stats with { Generator = new GeneratorLag(run.Started, run.LateOwn, run.MaxOwnLagMicros, outcome.RoundBased) };
            }

            ok += stats.OkAllRoutes;
            bool interrupted = run.Canceled && ct.IsCancellationRequested;
            ScenarioSummary.Write(stdout, stats, interrupted);
            stats = stats with { BaseUrl = redactor.Redact(stats.BaseUrl) }; // the JSON, the chart title and the page show it
            byte[]? chart = WriteReports(stats, outcome.RoundBased);
            scenarios.Add(new SimulationHtmlScenario(name, stats, chart, interrupted
                ? string.Create(CultureInfo.InvariantCulture, $"interrupted after {stats.DurationSeconds:0.0} s")
                : null));
        }

        // The gate is decided before the page is written, so the page shows its verdict too.
        RunComparison? comparison = Compare(scenarios)?.WithGate(ct.IsCancellationRequested ? null : settings.MaxRegressionPct);
        bool regressed = comparison?.GateFailed ?? false;
        foreach (string gateLine in comparison?.GateLines ?? [])
        {
            stdout.WriteLine(gateLine);
        }

        int code;
        if (ct.IsCancellationRequested)
        {
            status.Add("interrupted: stopped sending; reporting what was measured");
            code = ExitCodes.Interrupted;
        }
        else if (unreachable)
        {
            code = ExitCodes.Failed;
        }
        else if (ok == 0)
        {
            stderr.WriteLine($"{SimulatorApp.ToolName}: every request failed (see the errors above)");
            status.Add("every request failed");
            code = ExitCodes.Failed;
        }
        else
        {
            code = regressed ? ExitCodes.Failed : ExitCodes.Ok;
        }

        WriteRunReport(runAt, status, scenarios, comparison);
        return code;
    }

    /// <summary>Compares each measured scenario with its baseline and prints the table; null without a baseline.</summary>
    private RunComparison? Compare(IReadOnlyList<SimulationHtmlScenario> scenarios)
    {
        if (settings.Baseline is not { } baseline)
        {
            return null;
        }

        // The given file, or the folder with the files taken from it.
        string name = File.Exists(baseline.Given)
            ? baseline.Given
            : $"{baseline.Given} ({string.Join(", ", baseline.Files.Select(f => Path.GetFileName(f.Path)))})";
        var measured = scenarios.Where(s => s.Stats is not null).ToList();
        var comparison = RunComparison.Compare(
            redactor.Redact(SafeText.Printable(name)),
            baseline.Files.Select(f => (f.Stats.Scenario, LatencyComparer.FromMicros(f.Stats.LatencyHistogram))).ToList(),
            measured.Select(s => (s.Name, LatencyComparer.FromMicros(s.Stats!.LatencyHistogram))).ToList(),
            settings.Alpha,
            "scenario",
            settings.MinChangePct,
            // The same comparison on the latencies from the actual send: a verdict the generator's lag alone made reads inconclusive.
            baseline.Files.Select(f => (f.Stats.Scenario, LatencyComparer.FromMicros(f.Stats.LatencyHistogramUncorrected))).ToList(),
            measured.Select(s => (s.Name, LatencyComparer.FromMicros(s.Stats!.LatencyHistogramUncorrected))).ToList(),
            // A scenario whose generator fell behind in either run: its corrected latency measured us, not the target.
            measured.Where(s => s.Stats!.Generator is { Behind: true })
                .Select(s => s.Name)
                .Concat(baseline.Files.Where(f => f.Stats.Generator is { Behind: true }).Select(f => f.Stats.Scenario))
                .ToHashSet(StringComparer.Ordinal));
        comparison.WriteConsole(stdout);
        stdout.WriteLine();
        return comparison;
    }

    /// <summary>The run's page, over every scenario; written also when interrupted or unreachable, like the others.</summary>
    private void WriteRunReport(
        DateTimeOffset runAt, IReadOnlyList<string> status, IReadOnlyList<SimulationHtmlScenario> scenarios, RunComparison? comparison)
    {
        try
        {
            // Held until the last file is written, so a run in the same second (another process too) takes _2.
            using var claim = SimulationRunReportPaths.Claim(settings.Output, runAt);
            SimulationRunReportPaths paths = claim.Paths;
            if (comparison is not null)
            {
                comparison.WriteFiles(paths.ComparisonCsv, paths.ComparisonJson, time.GetLocalNow());
                stdout.WriteLine($"comparison: {paths.ComparisonCsv}, {Path.GetFileName(paths.ComparisonJson)}");
            }

            var content = new SimulationHtmlContent(runAt, HtmlSettings(paths.Timestamp), status, scenarios, comparison);
            SimulationHtml.Build(content).WriteFile(paths.ReportHtml);
            stdout.WriteLine($"html report: {paths.ReportHtml}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{SimulatorApp.ToolName}: could not write the report to {settings.Output}: {SafeText.OneLine(e.Message)}");
        }
    }

    /// <summary>The settings as the page lists them.</summary>
    private RunSettingsTable HtmlSettings(string timestamp)
    {
        var c = CultureInfo.InvariantCulture;
        var rows = new RunSettingsTable(redactor)
            .Add("base URL", settings.BaseUrl)
            .Add("scenarios", string.Join(", ", settings.Scenarios))
            .Add("duration per scenario", string.Create(c, $"{settings.Duration.TotalSeconds:0} s"))
            .Add("warm-up per scenario", settings.Warmup > TimeSpan.Zero
                ? string.Create(c, $"{settings.Warmup.TotalSeconds:0} s of the scenario's own traffic before it is measured, not recorded")
                : "none");
        if (settings.Scenarios.Contains(LoadScenario.Name))
        {
            rows.Add("load scenario", LoadScenario.Plan(settings));
        }

        rows.Add("max in flight", settings.MaxInFlight.ToString(c))
            .Add("timeout", string.Create(c, $"{settings.TimeoutSeconds} s"))
            .AddHeaderNames(settings.Headers);
        if (settings.Baseline is { } baseline)
        {
            rows.Add("baseline", string.Join(", ", baseline.Files.Select(f => f.Path))).Add("alpha", settings.Alpha.ToString(c))
                .Add("min change", string.Create(c, $"{settings.MinChangePct}% (smaller changes read no significant change)"));
        }

        if (settings.MaxRegressionPct is { } maxPct)
        {
            rows.Add("regression gate", string.Create(c, $"p50 of a significantly slower scenario up at most {maxPct}%"));
        }

        return rows.Add("report timestamp", timestamp);
    }

    /// <summary>The one line a scenario's warm-up gets, once it is over: what it sent, and that none of it counts.</summary>
    private static string WarmupLine(ScenarioWarmup w)
    {
        var c = CultureInfo.InvariantCulture;
        string rate = w.TargetRps > 0 ? string.Create(c, $" at {w.TargetRps:0.###} rps") : " as fast as allowed";
        return w.CutShort
            ? string.Create(c, $"  warm-up: cut short after {w.Elapsed.TotalSeconds:0.0} of {w.Planned.TotalSeconds:0} s{rate}, {w.Requests} requests sent, not recorded")
            : string.Create(c, $"  warm-up: {w.Planned.TotalSeconds:0} s{rate}, {w.Requests} requests sent, not recorded");
    }

    private async Task<ScenarioOutcome> RunWithLiveLineAsync(string name, IScenario scenario, ScenarioContext context, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, context.UnreachableToken);
        using var liveStop = new CancellationTokenSource();
        var line = new LiveLine(stdout, interactive);
        context.WarmedUp = w => line.WriteLine(WarmupLine(w));
        Task live = ShowLiveAsync(name, context, line, liveStop.Token);
        try
        {
            return await scenario.RunAsync(context, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return ScenarioOutcome.Skipped(context.Unreachable ?? "interrupted during setup");
        }
        finally
        {
            await liveStop.CancelAsync().ConfigureAwait(false);
            await live.ConfigureAwait(false);
            line.End();
        }
    }

    private async Task ShowLiveAsync(string name, ScenarioContext context, LiveLine line, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(LiveInterval, time, ct).ConfigureAwait(false);
                if (context.WarmupElapsed is { } warming)
                {
                    line.ShowWarmup(name, warming, settings.Warmup, context.WarmupRequests);
                }
                else if (context.Recorder is { } recorder)
                {
                    TimeSpan elapsed = time.GetUtcNow() - recorder.StartedAt;
                    line.Show(name, elapsed, settings.Duration, recorder.Sent, recorder.Snapshot(elapsed.TotalSeconds));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the scenario ended
        }
    }

    /// <returns>The chart as written, for the run's page; null when the reports could not be written.</returns>
    private byte[]? WriteReports(SimulationStats stats, bool roundBased)
    {
        byte[]? chart = null;
        try
        {
            // Held until the last file is written, so a run in the same second (another process too) takes _2.
            using var claim = SimulationReportPaths.Claim(settings.Output, stats.Scenario, stats.StartedAt.ToLocalTime());
            SimulationReportPaths paths = claim.Paths;
            SimulationJson.WriteFile(paths.Json, stats);
            SimulationCsv.WriteFile(paths.Csv, stats.Seconds);
            chart = new SimulationChart().WriteFile(paths.Png, stats);
            SimulationHlog.WriteFile(paths.Hlog, stats, roundBased);
            stdout.WriteLine($"  reports: {paths.Json}, {Path.GetFileName(paths.Csv)}, {Path.GetFileName(paths.Png)}, {Path.GetFileName(paths.Hlog)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{SimulatorApp.ToolName}: could not write the reports to {settings.Output}: {SafeText.OneLine(e.Message)}");
        }

        stdout.WriteLine();
        return chart;
    }
}
