using System.Globalization;
using PerfTools.BottleneckSimulator.Scenarios;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Reports.Simulation;
using PerfTools.Shared.Text;

namespace PerfTools.BottleneckSimulator;

/// <summary>Checks every option before anything is sent: the first problem becomes one line
/// <c>--option 'value': what is allowed</c>.</summary>
internal static class OptionValidator
{
    // Upper bounds: past these a value is a typo, not a plan (a week-long scenario, a million requests a second).
    public const int MaxRps = 1_000_000;
    public const int MaxDurationSeconds = 604_800;
    public const int MaxInFlight = 100_000;
    public const int MaxWarmupSeconds = 3_600; // an hour: past it the warm-up is a run of its own

    /// <summary>What each option allows, in the words every message about it uses (the parser's too).</summary>
    private static readonly Dictionary<string, string> AllowedText = new(StringComparer.Ordinal)
    {
        ["--base-url"] = OptionChecks.UrlAllowed("http://localhost:8080"),
        ["--scenario"] = ScenarioRegistry.Allowed,
        ["--rps"] = Range("a whole number", 0, MaxRps) + " (0 = as fast as --max-in-flight allows)",
        ["--duration"] = Range("a whole number of seconds", 1, MaxDurationSeconds) + " (a week)",
        ["--warmup"] = Range("a whole number of seconds", 0, MaxWarmupSeconds) + " (0 = no warm-up)",
        ["--endpoint"] = "must be a path starting with '/' without spaces, e.g. /boards",
        ["--method"] = "must be an HTTP method such as GET or POST",
        ["--header"] = "must be 'Name: value' with a valid header name",
        ["--data"] = "must be the body, or @file naming a readable file",
        ["--timeout"] = OptionChecks.TimeoutAllowed,
        ["--max-in-flight"] = Range("a whole number", 1, MaxInFlight),
        ["--output"] = "must be a folder that can be created and written",
        ["--baseline"] = BaselineAllowed,
        ["--alpha"] = ComparisonOptionChecks.AlphaAllowed,
        ["--max-regression-pct"] = ComparisonOptionChecks.MaxRegressionPctAllowed,
        ["--min-change-pct"] = ComparisonOptionChecks.MinChangePctAllowed,
        ["--shard"] = "must be K/N with whole numbers 1 <= K <= N <= " + MaxShards.ToString(CultureInfo.InvariantCulture) + ", e.g. 2/4 (this process sends share 2 of 4)",
        ["--start-at"] = StartAtAllowed,
        ["--merge"] = SimulationMerge.Allowed,
    };

    /// <summary>More shards than this is a typo, not a plan.</summary>
    public const int MaxShards = 10_000;

    /// <summary>How far in the past a start time may be (clocks and launchers are not exact), and how far ahead.</summary>
    public static readonly TimeSpan StartAtTolerance = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan StartAtHorizon = TimeSpan.FromDays(7);

    private const string StartAtAllowed =
        "must be a time at most 7 days ahead, RFC 3339 UTC (2026-12-06T10:00:00Z) or Unix seconds (1796551200)";

    private const string BaselineAllowed =
        "must be a simulation_<scenario>_*.json of an earlier run of a scenario this run runs, or a folder holding one";

    /// <summary>What <paramref name="option"/> allows, for the parser's messages.</summary>
    public static string? Allowed(string option) => AllowedText.GetValueOrDefault(option);

    /// <returns>The settings, or null with <paramref name="problem"/> set to the line to print (without the tool prefix).</returns>
    public static SimulatorSettings? Validate(SimulatorOptions o, out string problem) =>
        Validate(o, TimeProvider.System.GetUtcNow(), out problem);

    /// <param name="now">What <c>--start-at</c> is checked against.</param>
    public static SimulatorSettings? Validate(SimulatorOptions o, DateTimeOffset now, out string problem)
    {
        problem = "";
        string? p = null;
        Uri? baseUrl = HttpUrl(o.BaseUrl, ref p);
        string scenario = o.Scenario.Trim().ToLowerInvariant();
        p ??= scenario != ScenarioRegistry.All && ScenarioRegistry.Find(scenario) is null ? Bad("--scenario", o.Scenario) : null;
        p ??= o.Rps is < 0 or > MaxRps ? Bad("--rps", Num(o.Rps)) : null;
        p ??= o.Duration is < 1 or > MaxDurationSeconds ? Bad("--duration", Num(o.Duration)) : null;
        p ??= o.Warmup is < 0 or > MaxWarmupSeconds ? Bad("--warmup", Num(o.Warmup)) : null;
        p ??= o.MaxInFlight is < 1 or > MaxInFlight ? Bad("--max-in-flight", Num(o.MaxInFlight)) : null;
        // Asked for by name, connection_pool cannot run with fewer slots than it holds; under all it is skipped instead,
        // so a run of all with a small --max-in-flight still runs the others.
        p ??= scenario == ConnectionPoolScenario.Name && o.MaxInFlight <= ConnectionPoolScenario.Holders
            ? OptionChecks.Bad("--max-in-flight", Num(o.MaxInFlight), ConnectionPoolScenario.InFlightAllowed)
            : null;
        p ??= OptionChecks.CheckTimeout(o.Timeout);
        p ??= !IsToken(o.Method) ? Bad("--method", o.Method) : null;
        p ??= !o.Endpoint.StartsWith('/') || o.Endpoint.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) ? Bad("--endpoint", o.Endpoint) : null;

        IReadOnlyList<KeyValuePair<string, string>> headers = [];
        if (p is null)
        {
            headers = OptionChecks.Headers(o.Headers, out p);
        }

        byte[]? body = null;
        if (p is null && o.Data is { } data)
        {
            body = ReadData(data, ref p);
        }

        p ??= ComparisonOptionChecks.CheckComparisonOptions(o.Alpha, o.MaxRegressionPct, baselineGiven: o.Baseline is not null, o.MinChangePct);

        IReadOnlyList<string> scenarios = scenario == ScenarioRegistry.All ? ScenarioRegistry.Names : [scenario];
        SimulatorBaseline? baseline = null;
        if (p is null && o.Baseline is { } given)
        {
            baseline = ReadBaseline(given, scenarios, ref p);
        }

        ScheduleShard shard = ScheduleShard.Whole;
        if (p is null && o.Shard is { } shardText)
        {
            if (ScheduleShard.Parse(shardText) is { Count: <= MaxShards } parsed)
            {
                shard = parsed;
            }
            else
            {
                p = Bad("--shard", shardText);
            }

            // The closed model has no schedule to share: N processes would each send as fast as they can.
            p ??= o.Rps == 0 && shard.Count > 1 && scenarios.Any(RateScenario)
                ? OptionChecks.Bad("--shard", shardText, AllowedText["--shard"] + "; the closed model (--rps 0) has no schedule to share: give --rps above 0")
                : null;
        }

        DateTimeOffset? startAt = null;
        if (p is null && o.StartAt is { } startText)
        {
            startAt = ParseStartAt(startText);
            if (startAt is null || startAt > now + StartAtHorizon)
            {
                p = Bad("--start-at", startText);
            }
            else if (startAt < now - StartAtTolerance)
            {
                p = OptionChecks.Bad("--start-at", startText, string.Create(CultureInfo.InvariantCulture,
                    $"must be a time ahead, not {(now - startAt.Value).TotalSeconds:0.0} s in the past (every shard waits for it): give e.g. --start-at $(( $(date +%s) + 30 )), the same to every shard"));
            }
            else if (scenarios.Count > 1)
            {
                // Each scenario's schedule starts when the one before it ended, which no two machines agree on.
                p = OptionChecks.Bad("--start-at", startText, StartAtAllowed + ", with one --scenario (not all)");
            }
        }

        SimulationMerge? merge = null;
        if (p is null && o.Merge.Any())
        {
            p = o.Shard is not null || o.StartAt is not null
                ? OptionChecks.Bad("--merge", string.Join(' ', o.Merge), SimulationMerge.Allowed + "; it sends nothing, so without --shard or --start-at")
                : null;
            merge = p is null ? SimulationMerge.Load(o.Merge.ToList(), out p) : null;
        }

        p ??= CheckOutputFolder(o.Output);
        if (p is not null)
        {
            problem = p;
            return null;
        }

        return new SimulatorSettings(
            baseUrl!, scenarios, o.Rps, TimeSpan.FromSeconds(o.Duration), TimeSpan.FromSeconds(o.Warmup), o.Endpoint,
            o.Method.ToUpperInvariant(), headers, body, o.Timeout, o.MaxInFlight, o.Output,
            Baseline: baseline, Alpha: o.Alpha ?? LatencyComparer.DefaultAlpha, MaxRegressionPct: o.MaxRegressionPct,
            MinChangePct: o.MinChangePct ?? LatencyComparer.DefaultMinChangePct)
        {
            Shard = shard,
            StartAt = startAt,
            Merge = merge,
        };
    }

    /// <summary>Scenarios that send at <c>--rps</c>.</summary>
    private static bool RateScenario(string scenario) =>
        scenario is LoadScenario.Name or ConnectionPoolScenario.Name or "missing_index";

    /// <summary>RFC 3339 in UTC (Z or +00:00), or Unix seconds (a fraction allowed); null otherwise.</summary>
    private static DateTimeOffset? ParseStartAt(string text)
    {
        text = text.Trim();
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal unix))
        {
            return unix <= 253_402_300_799m ? DateTimeOffset.UnixEpoch.AddTicks((long)(unix * TimeSpan.TicksPerSecond)) : null;
        }

        string[] formats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];
        return DateTimeOffset.TryParseExact(text.Replace('t', 'T').Replace('z', 'Z'), formats, CultureInfo.InvariantCulture,
                DateTimeStyles.None, out DateTimeOffset at) && at.Offset == TimeSpan.Zero && (text.EndsWith('Z') || text.EndsWith('z') || text.EndsWith("+00:00", StringComparison.Ordinal))
            ? at
            : null;
    }

    /// <summary>A file: the baseline of the scenario it names, which this run must run. A folder: the newest file of
    /// each scenario run that has one, at least one. Each read now, so a wrong file costs a usage error, not a run.</summary>
    private static SimulatorBaseline? ReadBaseline(string given, IReadOnlyList<string> scenarios, ref string? problem)
    {
        var files = new List<(string Path, SimulationStats Stats)>();
        if (File.Exists(given) || !Directory.Exists(given))
        {
            string? path = ComparisonOptionChecks.BaselineFile(given, "simulation_", BaselineAllowed, out problem);
            if (path is null || Read(given, path, ref problem) is not { } stats)
            {
                return null;
            }

            if (!scenarios.Contains(stats.Scenario))
            {
                problem = OptionChecks.Bad("--baseline", given, string.Create(CultureInfo.InvariantCulture,
                    $"{BaselineAllowed} (it is of scenario '{SafeText.Printable(stats.Scenario)}'; this run runs {string.Join(", ", scenarios)})"));
                return null;
            }

            files.Add((path, stats));
        }
        else
        {
            foreach (string scenario in scenarios)
            {
                string? path;
                try
                {
                    path = BaselineFiles.NewestJson(given, $"simulation_{scenario}_");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    problem = OptionChecks.Bad("--baseline", given, $"{BaselineAllowed} ({SafeText.OneLine(e.Message)})");
                    return null;
                }

                if (path is null)
                {
                    continue; // this scenario is new: listed without a test
                }

                if (Read(given, path, ref problem) is not { } stats)
                {
                    return null;
                }

                files.Add((path, stats));
            }

            if (files.Count == 0)
            {
                problem = OptionChecks.Bad("--baseline", given,
                    $"{BaselineAllowed} (the folder holds no simulation_<scenario>_<timestamp>.json of {string.Join(", ", scenarios)})");
                return null;
            }
        }

        return new SimulatorBaseline(given, files);
    }

    /// <summary>One baseline file, which must hold the latencies to test (<c>latency_histogram</c>).</summary>
    private static SimulationStats? Read(string given, string path, ref string? problem)
    {
        SimulationStats? stats = ComparisonOptionChecks.ReadBaseline(given, path, SimulationJson.ReadFile, BaselineAllowed, out problem);
        if (stats is not null && stats.LatencyHistogram.Count == 0 && stats.Latency.MaxMicros > 0)
        {
            // Latencies were measured but not kept: a file written before latency_histogram existed.
            problem = OptionChecks.Bad("--baseline", given,
                $"{BaselineAllowed} ({path} has no latency_histogram: it was written by an older version; run the baseline again)");
            return null;
        }

        return stats;
    }

    private static Uri? HttpUrl(string text, ref string? problem)
    {
        Uri? url = OptionChecks.HttpUrl(text, "--base-url", "http://localhost:8080", out string? p);
        problem ??= p;
        return url;
    }

    private static byte[]? ReadData(string data, ref string? problem)
    {
        byte[]? body = OptionChecks.ReadData(data, out string? p);
        problem ??= p;
        return body;
    }

    private static string? CheckOutputFolder(string folder) => OptionChecks.CheckOutputFolder(folder, "simulate_bottleneck");

    private static bool IsToken(string text) => OptionChecks.IsToken(text);

    private static string Bad(string option, string value) => OptionChecks.Bad(option, value, AllowedText[option]);

    private static string Range(string what, int min, int max) =>
        string.Create(CultureInfo.InvariantCulture, $"must be {what} from {min} to {max}");

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);

}
