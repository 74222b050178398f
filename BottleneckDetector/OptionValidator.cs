using System.Globalization;
using System.Text.RegularExpressions;
using PerfTools.BottleneckDetector.Database;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;

namespace PerfTools.BottleneckDetector;

/// <summary>Checks every option before anything is sent (Spectre.Console.Cli's <c>Validate</c> apart from
/// <c>Execute</c>): the first problem becomes one line <c>--option 'value': what is allowed</c>.</summary>
internal static partial class OptionValidator
{
    public const int MaxTraces = 1000;

    /// <summary>A day: a slower endpoint than that is not a finding, and a larger figure is a typo.</summary>
    public const double MaxThresholdMs = 86_400_000;

    /// <summary>The longest <c>--window</c>: longer than any retention, and the start of a window much longer than
    /// that would fall before year 1, where <see cref="DateTimeOffset"/> ends.</summary>
    private static readonly TimeSpan MaxWindow = TimeSpan.FromDays(3650);

    /// <summary>Clocks of the detector and of Prometheus may differ a little; more than this ahead is a typo.</summary>
    private static readonly TimeSpan FutureSlack = TimeSpan.FromMinutes(1);

    /// <summary>What each option allows, in the words every message about it uses (the parser's too).</summary>
    private static readonly Dictionary<string, string> AllowedText = new(StringComparer.Ordinal)
    {
        ["--prometheus-url"] = OptionChecks.UrlAllowed("http://localhost:9090"),
        ["--jaeger-url"] = OptionChecks.UrlAllowed("http://localhost:16686"),
        ["--output"] = "must be a folder that can be created and written",
        ["--threshold-ms"] = string.Create(CultureInfo.InvariantCulture, $"must be a number of ms above 0 and at most {MaxThresholdMs} (a day)"),
        ["--at"] = "must be an RFC 3339 time (2026-11-25T12:00:00Z) or Unix seconds (1764072000)",
        ["--window"] = "must be a Prometheus duration from 1s to 10y, e.g. 30s, 5m, 1h, 1h30m",
        ["--service"] = "must be a Jaeger service name",
        ["--traces"] = string.Create(CultureInfo.InvariantCulture, $"must be a whole number from 1 to {MaxTraces}"),
        ["--fail-on"] = "must be one of info, warning, critical, none",
        ["--timeout"] = OptionChecks.TimeoutAllowed,
        ["--baseline"] = BaselineFile.Allowed,
        ["--database-url"] = DatabaseTarget.Allowed,
    };

    /// <summary>What <paramref name="option"/> allows, for the parser's messages.</summary>
    public static string? Allowed(string option) => AllowedText.GetValueOrDefault(option);

    /// <param name="now">The current time, to refuse an <c>--at</c> in the future.</param>
    /// <returns>The settings, or null with <paramref name="problem"/> set to the line to print (without the tool prefix).</returns>
    public static DetectorSettings? Validate(
        DetectorOptions o, DateTimeOffset now, string? prometheusToken, string? jaegerToken, out string problem)
    {
        problem = "";
        string? p = null;
        Uri? prometheusUrl = HttpUrl(o.PrometheusUrl, "--prometheus-url", "http://localhost:9090", ref p);
        Uri? jaegerUrl = HttpUrl(o.JaegerUrl, "--jaeger-url", "http://localhost:16686", ref p);
        p ??= !(double.IsFinite(o.ThresholdMs) && o.ThresholdMs > 0 && o.ThresholdMs <= MaxThresholdMs) ? Bad("--threshold-ms", Num(o.ThresholdMs)) : null;

        TimeSpan window = TimeSpan.Zero;
        p ??= !PromDuration.TryParse(o.Window, out window) || window < TimeSpan.FromSeconds(1) || window > MaxWindow
            ? Bad("--window", o.Window)
            : null;

        DateTimeOffset? at = null;
        if (p is null && o.At is { } atText)
        {
            at = ParseInstant(atText);
            p = at is null
                ? Bad("--at", atText)
                : at > now + FutureSlack
                    ? OptionChecks.Bad("--at", atText, "must not be in the future (it is evaluated against recorded data)")
                    : null;
        }

        p ??= o.Service is { } service && string.IsNullOrWhiteSpace(service) ? Bad("--service", service) : null;
        p ??= o.Traces is < 1 or > MaxTraces ? Bad("--traces", Num(o.Traces)) : null;

        Severity? failOn = null;
        if (p is null)
        {
            switch (o.FailOn.ToLowerInvariant())
            {
                case "info": failOn = Severity.Info; break;
                case "warning": failOn = Severity.Warning; break;
                case "critical": failOn = Severity.Critical; break;
                case "none": break;
                default: p = Bad("--fail-on", o.FailOn); break;
            }
        }

        p ??= OptionChecks.CheckTimeout(o.Timeout);
        (string Path, DetectionSummary Summary)? baseline = null;
        if (p is null && o.Baseline is { } baselineText)
        {
            baseline = BaselineFile.Load(baselineText, out p);
        }

        DatabaseTarget? database = null;
        if (p is null && o.DatabaseUrl is { } databaseUrl)
        {
            database = DatabaseTarget.Parse(databaseUrl, out p);
        }

        p ??= CheckOutputFolder(o.Output);

        if (p is not null)
        {
            problem = p;
            return null;
        }

        return new DetectorSettings(
            prometheusUrl!, jaegerUrl!, o.Output, o.ThresholdMs, at, window, o.Window, o.Service, o.Traces, failOn, o.Timeout,
            NullIfEmpty(prometheusToken), NullIfEmpty(jaegerToken), baseline?.Path, baseline?.Summary, database);
    }

    /// <summary>RFC 3339 (an offset or Z is required: a bare local time would mean different instants on different
    /// machines) or Unix seconds, whole or fractional.</summary>
    internal static DateTimeOffset? ParseInstant(string text)
    {
        if (UnixSeconds().IsMatch(text))
        {
            double seconds = double.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            return seconds < 253402300799 // 9999-12-31T23:59:59Z, the last instant DateTimeOffset holds
                ? DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond))
                : null;
        }

        return Rfc3339().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset at)
            ? at
            : null;
    }

    private static Uri? HttpUrl(string text, string option, string example, ref string? problem)
    {
        if (problem is not null)
        {
            return null;
        }

        return OptionChecks.HttpUrl(text, option, example, out problem);
    }

    private static string? CheckOutputFolder(string folder) => OptionChecks.CheckOutputFolder(folder, "bottleneck_detector");

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static string Bad(string option, string value) => OptionChecks.Bad(option, value, AllowedText[option]);

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex UnixSeconds();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
