using System.Globalization;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Reports.Analyzer;

namespace PerfTools.PerformanceAnalyzer;

/// <summary>Checks every option before anything is sent (Spectre.Console.Cli's <c>Validate</c> apart from
/// <c>Execute</c>): the first problem becomes one line <c>--option 'value': what is allowed</c>.</summary>
internal static class OptionValidator
{
    // Upper bounds: past these a value is a typo, not a plan, and it would exhaust memory (every measured request is
    // kept for the requests CSV), threads or the run's patience long before it finished.
    public const int MaxIterations = 1_000_000;
    public const int MaxConcurrency = 10_000;
    public const int MaxDelayMs = 3_600_000;
    public const double MaxP95Ms = 86_400_000;

    /// <summary>What each option allows, in the words every message about it uses (the parser's too).</summary>
    private static readonly Dictionary<string, string> AllowedText = new(StringComparer.Ordinal)
    {
        ["--base-url"] = OptionChecks.UrlAllowed("http://localhost:8080"),
        ["--jaeger-url"] = OptionChecks.UrlAllowed("http://localhost:16686"),
        ["--endpoint"] = "must be a path starting with '/' without spaces, e.g. /boards",
        ["--method"] = "must be an HTTP method such as GET or POST",
        ["--iterations"] = Range("a whole number", 1, MaxIterations),
        ["--concurrency"] = Range("a whole number", 1, MaxConcurrency),
        ["--delay-ms"] = Range("a whole number of ms", 0, MaxDelayMs) + " (an hour)",
        ["--warmup"] = Range("auto or a whole number", 0, MaxIterations),
        ["--timeout"] = OptionChecks.TimeoutAllowed,
        ["--max-p95-ms"] = string.Create(CultureInfo.InvariantCulture, $"must be a number of ms above 0 and at most {MaxP95Ms} (a day)"),
        ["--output"] = "must be a folder that can be created and written",
        ["--header"] = "must be 'Name: value' with a valid header name",
        ["--data"] = "must be the body, or @file naming a readable file",
        ["--baseline"] = BaselineAllowed,
        ["--alpha"] = ComparisonOptionChecks.AlphaAllowed,
        ["--max-regression-pct"] = ComparisonOptionChecks.MaxRegressionPctAllowed,
        ["--min-change-pct"] = ComparisonOptionChecks.MinChangePctAllowed,
    };

    private const string BaselineAllowed = "must be a performance_data_*.json of an earlier run, or a folder holding one";

    /// <summary>What <paramref name="option"/> allows, for the parser's messages; null for a switch.</summary>
    public static string? Allowed(string option) => AllowedText.GetValueOrDefault(option);

    /// <returns>The settings, or null with <paramref name="problem"/> set to the line to print (without the tool prefix).</returns>
    public static AnalyzerSettings? Validate(AnalyzerOptions o, out string problem)
    {
        problem = "";
        string? p = null;
        Uri? baseUrl = HttpUrl(o.BaseUrl, "--base-url", ref p);
        Uri? jaegerUrl = HttpUrl(o.JaegerUrl, "--jaeger-url", ref p);
        p ??= Whole("--iterations", o.Iterations, 1, MaxIterations);
        p ??= Whole("--concurrency", o.Concurrency, 1, MaxConcurrency);
        p ??= Whole("--delay-ms", o.DelayMs, 0, MaxDelayMs);
        int? warmup = Warmup(o.Warmup, ref p);
        p ??= OptionChecks.CheckTimeout(o.Timeout);
        p ??= o.MaxP95Ms is { } gate && !(double.IsFinite(gate) && gate > 0 && gate <= MaxP95Ms) ? Bad("--max-p95-ms", Num(gate)) : null;
        p ??= !IsToken(o.Method) ? Bad("--method", o.Method) : null;

        IReadOnlyList<KeyValuePair<string, string>> headers = [];
        if (p is null)
        {
            headers = OptionChecks.Headers(o.Headers, out p);
        }

        if (p is null)
        {
            if (o.TestAll && o.Endpoint is not null)
            {
                p = OptionChecks.Bad("--endpoint", o.Endpoint, "must not be given with --test-all (one of them says what to measure)");
            }
            else if (!o.TestAll && o.Endpoint is null)
            {
                p = "--test-all/--endpoint: nothing to measure; one of --test-all (walk the Forum API) or --endpoint PATH must be given";
            }
            else if (o.Endpoint is { } path && (!path.StartsWith('/') || path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
            {
                p = Bad("--endpoint", path);
            }
            else if (o.TestAll && o.Data is not null)
            {
                p = OptionChecks.Bad("--data", o.Data, "must only be given with --endpoint (--test-all builds its own bodies)");
            }
        }

        byte[]? body = null;
        if (p is null && o.Data is { } data)
        {
            body = ReadDataOnce(data, ref p);
        }

        p ??= ComparisonOptionChecks.CheckComparisonOptions(o.Alpha, o.MaxRegressionPct, baselineGiven: o.Baseline is not null, o.MinChangePct);

        AnalyzerBaseline? baseline = null;
        if (p is null && o.Baseline is { } given)
        {
            baseline = ReadBaseline(given, ref p);
        }

        if (p is null)
        {
            p = OptionChecks.CheckOutputFolder(o.Output, "performance_analyzer");
        }

        if (p is not null)
        {
            problem = p;
            return null;
        }

        return new AnalyzerSettings(
            baseUrl!, jaegerUrl!, o.TestAll ? null : o.Endpoint, o.Method.ToUpperInvariant(), o.Iterations, o.Output,
            o.Concurrency, o.DelayMs, warmup, headers, body, o.Timeout, o.MaxP95Ms,
            Baseline: baseline, Alpha: o.Alpha ?? LatencyComparer.DefaultAlpha, MaxRegressionPct: o.MaxRegressionPct,
            MinChangePct: o.MinChangePct ?? LatencyComparer.DefaultMinChangePct);
    }

    /// <summary>The baseline's samples, read now so a wrong file costs a usage error, not a whole run.</summary>
    private static AnalyzerBaseline? ReadBaseline(string given, ref string? problem)
    {
        string? path = ComparisonOptionChecks.BaselineFile(given, "performance_data_", BaselineAllowed, out problem);
        if (path is null)
        {
            return null;
        }

        var samples = ComparisonOptionChecks.ReadBaseline(given, path, PerformanceDataJson.ReadFile, BaselineAllowed, out problem);
        return samples is null ? null : new AnalyzerBaseline(path, samples);
    }

    private static Uri? HttpUrl(string text, string option, ref string? problem)
    {
        if (problem is not null)
        {
            return null;
        }

        Uri? url = OptionChecks.HttpUrl(text, option, option == "--jaeger-url" ? "http://localhost:16686" : "http://localhost:8080", out problem);
        return url;
    }

    private static byte[]? ReadDataOnce(string data, ref string? problem)
    {
        byte[]? body = OptionChecks.ReadData(data, out string? p);
        problem ??= p;
        return body;
    }

    /// <summary><c>--warmup</c>: a count, digits only (no sign, spaces or decimals), or null for auto.</summary>
    private static int? Warmup(string text, ref string? problem)
    {
        if (problem is not null || text.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (text.Length > 0 && text.All(char.IsAsciiDigit) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && n <= MaxIterations)
        {
            return n;
        }

        problem = Bad("--warmup", text);
        return null;
    }

    private static string? Whole(string option, int value, int min, int max) =>
        value < min || value > max ? Bad(option, Num(value)) : null;

    private static string Range(string what, int min, int max) =>
        string.Create(CultureInfo.InvariantCulture, $"must be {what} from {min} to {max}");

    private static string Bad(string option, string value) => OptionChecks.Bad(option, value, AllowedText[option]);

    private static bool IsToken(string text) => OptionChecks.IsToken(text);

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);
}
