using System.Globalization;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Http;
using PerfTools.Shared.Reports;
using PerfTools.Shared.Reports.Analyzer;
using PerfTools.Shared.Reports.Comparison;
using PerfTools.Shared.Text;
using PerfTools.Shared.Tracing;

namespace PerfTools.PerformanceAnalyzer;

/// <summary>Runs a validated measurement: sends, prints the tables, explains the slowest requests from Jaeger,
/// writes the four reports and decides the exit code.</summary>
internal sealed class AnalyzeCommand(
    AnalyzerSettings settings, TextWriter stdout, TextWriter stderr, bool interactive, bool colour, string? jaegerToken,
    Redactor redactor, TimeProvider time)
{
    public async Task<int> ExecuteAsync(CancellationToken ct)
    {
        DateTimeOffset runAt = time.GetLocalNow();
        var record = new RunRecord(redactor);
        var progress = new ProgressLine(stdout, interactive);
        RequestResult? noServer;
        using (var client = new HttpLoadClient(
            new HttpLoadClientOptions(settings.TimeoutSeconds, MaxConnections: settings.Concurrency, settings.Insecure), time))
        {
            var runner = new EndpointRunner(client, record, progress, settings.Concurrency, settings.DelayMs, settings.Warmup, time);
            noServer = settings.TestAll
                ? await new ForumWalk(runner, settings, stdout).RunAsync(ct).ConfigureAwait(false)
                : await MeasureEndpointAsync(runner, ct).ConfigureAwait(false);
        }

        bool interrupted = ct.IsCancellationRequested;
        IReadOnlyList<RequestResult> results = record.Results;
        IReadOnlyList<EndpointStats> stats = record.Complete();
        var status = new List<string>(); // the stderr lines about how the run went, for the HTML page too
        if (noServer is not null)
        {
            status.Add($"unreachable: {redactor.Redact(settings.BaseUrl.ToString())} ({NoServerReason(noServer)})");
            stderr.WriteLine(status[^1]);
        }

        if (interrupted)
        {
            status.Add(string.Create(CultureInfo.InvariantCulture,
                $"interrupted: stopped sending; reporting the {results.Count} requests measured"));
            stderr.WriteLine(status[^1]);
        }

        var samples = PerformanceDataJson.Samples(results);
        // The gate is decided before any report is written, so the page shows its verdict too.
        RunComparison? comparison = Compare(stats, samples)?.WithGate(interrupted ? null : settings.MaxRegressionPct);
        stdout.WriteLine();
        IReadOnlyDictionary<string, WarmupOutcome> warmups = record.Warmups;
        ConsoleReport.Write(stdout, stats, results, settings.MaxP95Ms, colour, comparison, warmups);
        IReadOnlyList<string> traceLines = [];
        if (!interrupted)
        {
            traceLines = await ExplainSlowestAsync(results, ct).ConfigureAwait(false);
            interrupted = ct.IsCancellationRequested; // Ctrl+C while Jaeger was asked still means "interrupted"
        }

        string tracesMissing = interrupted
            ? "Jaeger was not asked: the run was interrupted."
            : "No request with a response carried a trace id to look up in Jaeger.";
        if (!WriteReports(runAt, stats, results, samples, warmups, status, traceLines.Select(redactor.Redact).ToList(), tracesMissing, comparison))
        {
            return ExitCodes.Failed;
        }

        if (interrupted)
        {
            return ExitCodes.Interrupted;
        }

        bool failed = noServer is not null;
        var onlyErrors = stats.Where(s => s.Count > 0 && s.Errors == s.Count).ToList();
        if (onlyErrors.Count > 0)
        {
            stdout.WriteLine("only errors: " + string.Join(", ", onlyErrors.Select(s =>
                string.Create(CultureInfo.InvariantCulture, $"{s.Label} ({s.Errors} of {s.Count} failed)"))));
            failed = true;
        }

        if (settings.MaxP95Ms is { } gate)
        {
            var over = stats.Where(s => ConsoleReport.OverP95Gate(s, gate)).ToList();
            if (over.Count > 0)
            {
                stdout.WriteLine($"p95 gate failed (max {Milliseconds.Text(gate)} ms): "
                    + string.Join(", ", over.Select(s => $"{s.Label} p95 {ConsoleReport.Ms(s.P95Micros)} ms")));
                failed = true;
            }
            else
            {
                stdout.WriteLine($"p95 gate passed: every endpoint at or under {Milliseconds.Text(gate)} ms");
            }
        }

        if (comparison?.GateLines is { } gateLines)
        {
            foreach (string line in gateLines)
            {
                stdout.WriteLine(line);
            }

            failed |= comparison.GateFailed;
        }

        return failed ? ExitCodes.Failed : ExitCodes.Ok;
    }

    private async Task<RequestResult?> MeasureEndpointAsync(EndpointRunner runner, CancellationToken ct)
    {
        string path = settings.Endpoint!;
        string label = PathTemplate.Label(settings.Method, path);
        var spec = new RequestSpec(label, settings.Method, settings.UrlFor(path), settings.Headers, settings.Body);
        EndpointRun run = await runner.RunAsync(new EndpointPlan(label, _ => spec, settings.Iterations), stopIfNoServer: true, ct)
            .ConfigureAwait(false);
        return run.Unreachable ? run.Probe : null;
    }

    /// <returns>The lines printed, for the HTML page.</returns>
    private async Task<IReadOnlyList<string>> ExplainSlowestAsync(IReadOnlyList<RequestResult> results, CancellationToken ct)
    {
        // Jaeger is a side show: it gets its own short limit so a hung Jaeger cannot hold the reports hostage.
        TimeSpan timeout = TimeSpan.FromSeconds(Math.Min(settings.TimeoutSeconds, JaegerClient.DefaultTimeout.TotalSeconds));
        // JaegerClient enforces its own timeout, reading the body included.
        using var http = new HttpClient(OutboundPolicyHandler.Create(timeout, settings.Insecure)) { Timeout = Timeout.InfiniteTimeSpan };
        var jaeger = new JaegerClient(http, settings.JaegerUrl, jaegerToken, timeout, time);
        return await TraceExplainer.ExplainAsync(jaeger, settings.JaegerUrl, results, stdout, ct).ConfigureAwait(false);
    }

    /// <summary>Compares with <c>--baseline</c>; null without a baseline.</summary>
    private RunComparison? Compare(IReadOnlyList<EndpointStats> stats, IReadOnlyDictionary<string, IReadOnlyList<double>> samples)
    {
        if (settings.Baseline is not { } baseline)
        {
            return null;
        }

        return RunComparison.Compare(
            redactor.Redact(baseline.Path),
            baseline.Samples.Select(kv => (kv.Key, Weighted(kv.Value))).ToList(),
            stats.Select(s => (s.Label, Weighted(samples.GetValueOrDefault(s.Label) ?? []))).ToList(),
            settings.Alpha,
            "endpoint",
            settings.MinChangePct);
    }

    private static IReadOnlyList<(double ValueMs, long Count)> Weighted(IReadOnlyList<double> samples) =>
        samples.Select(ms => (ms, 1L)).ToList();

    /// <returns>False when a report could not be written (said on stderr).</returns>
    private bool WriteReports(
        DateTimeOffset runAt, IReadOnlyList<EndpointStats> stats, IReadOnlyList<RequestResult> results,
        IReadOnlyDictionary<string, IReadOnlyList<double>> samples, IReadOnlyDictionary<string, WarmupOutcome> warmups,
        IReadOnlyList<string> status,
        IReadOnlyList<string> traceLines, string tracesMissing, RunComparison? comparison)
    {
        try
        {
            // Held until the last file is written, so a run in the same second (another process too) takes _2.
            using ReportClaim<PerformanceReportPaths> claim = PerformanceReportPaths.Claim(settings.OutputFolder, runAt);
            PerformanceReportPaths paths = claim.Paths;
            stdout.WriteLine();
            byte[]? chart = null;
            string? chartMissing = null;
            if (PerformanceChart.IsFontInstalled())
            {
                chart = new PerformanceChart().WriteFile(paths.ChartPng, redactor.Redact(settings.BaseUrl), runAt, stats, samples);
                stdout.WriteLine($"chart:         {paths.ChartPng}");
            }
            else
            {
                chartMissing = $"chart not drawn: font '{PerformanceChart.FontFamily}' is not installed (Debian/Ubuntu: fonts-dejavu-core)";
                stdout.WriteLine(chartMissing);
            }

            PerformanceDataJson.WriteFile(paths.DataJson, samples, warmups);
            stdout.WriteLine($"data:          {paths.DataJson}");
            SummaryCsv.WriteFile(paths.SummaryCsv, stats);
            stdout.WriteLine($"summary csv:   {paths.SummaryCsv}");
            RequestsCsv.WriteFile(paths.RequestsCsv, results);
            stdout.WriteLine($"requests csv:  {paths.RequestsCsv}");
            if (comparison is not null)
            {
                comparison.WriteFiles(paths.ComparisonCsv, paths.ComparisonJson, time.GetLocalNow());
                stdout.WriteLine($"comparison:    {paths.ComparisonCsv}, {Path.GetFileName(paths.ComparisonJson)}");
            }

            var content = new PerformanceHtmlContent(
                runAt, HtmlSettings(paths.Timestamp), status, stats, results, chart, chartMissing, traceLines, tracesMissing, comparison,
                warmups);
            PerformanceHtml.Build(content).WriteFile(paths.ReportHtml);
            stdout.WriteLine($"html report:   {paths.ReportHtml}");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"performance_analyzer: could not write the reports to '{settings.OutputFolder}': {SafeText.OneLine(e.Message)}");
            return false;
        }
    }

    /// <summary>The settings as the page lists them: what was measured, how, and against what.</summary>
    private RunSettingsTable HtmlSettings(string timestamp)
    {
        var c = CultureInfo.InvariantCulture;
        var rows = new RunSettingsTable(redactor)
            .Add("base URL", settings.BaseUrl)
            .Add("measured", settings.TestAll ? "--test-all: the Forum API walk" : $"{settings.Method} {settings.Endpoint}")
            .Add("iterations", settings.Iterations.ToString(c))
            .Add("concurrency", settings.Concurrency.ToString(c))
            .Add("delay between requests", string.Create(c, $"{settings.DelayMs} ms"))
            .Add("warm-up", settings.Warmup is { } n ? string.Create(c, $"{n} requests per endpoint") : AutoWarmupText)
            .Add("timeout", string.Create(c, $"{settings.TimeoutSeconds} s"))
            .Add("Jaeger", settings.JaegerUrl)
            .AddHeaderNames(settings.Headers);
        if (settings.MaxP95Ms is { } gate)
        {
            rows.Add("p95 gate", $"at most {Milliseconds.Text(gate)} ms");
        }

        if (settings.Baseline is { } baseline)
        {
            rows.Add("baseline", baseline.Path).Add("alpha", settings.Alpha.ToString(c))
                .Add("min change", string.Create(c, $"{settings.MinChangePct}% (smaller changes read no significant change)"));
        }

        if (settings.MaxRegressionPct is { } maxPct)
        {
            rows.Add("regression gate", string.Create(c, $"p50 of a significantly slower endpoint up at most {maxPct}%"));
        }

        return rows.Add("report timestamp", timestamp);
    }

    private static readonly string AutoWarmupText = string.Create(CultureInfo.InvariantCulture,
        $"auto: batches of {WarmupRule.BatchSize} until the medians of the last {WarmupRule.ComparedBatches} agree within "
        + $"{WarmupRule.RelativeTolerance * 100}% or {WarmupRule.AbsoluteToleranceMs} ms, after at least {WarmupRule.MinDuration.TotalSeconds} s "
        + $"or {WarmupRule.MinRequests} requests; at most {WarmupRule.MaxRequests} requests or "
        + $"{WarmupRule.MaxDuration.TotalSeconds} s, {WarmupRule.MaxStateChangingRequests} for methods that change state");

    private string NoServerReason(RequestResult probe) => probe.Error switch
    {
        ErrorKind.Refused => "connection refused",
        ErrorKind.Dns => "host not found",
        ErrorKind.Timeout => string.Create(CultureInfo.InvariantCulture, $"no answer within {settings.TimeoutSeconds} s"),
        _ => SafeText.Printable(probe.ErrorMessage ?? probe.Error.ToString()),
    };
}
