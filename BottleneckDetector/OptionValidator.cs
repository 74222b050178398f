using System.Globalization;
using System.Text.RegularExpressions;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;

namespace PerfTools.BottleneckDetector;

/// <summary>Checks every option before anything is sent (Spectre.Console.Cli's <c>Validate</c> apart from
/// <c>Execute</c>): the first problem becomes one line <c>--option 'value': what is allowed</c>.</summary>
internal static partial class OptionValidator
{
    public const int MaxTraces = 1000;

    /// <summary>Clocks of the detector and of Prometheus may differ a little; more than this ahead is a typo.</summary>
    private static readonly TimeSpan FutureSlack = TimeSpan.FromMinutes(1);

    /// <param name="now">The current time, to refuse an <c>--at</c> in the future.</param>
    /// <returns>The settings, or null with <paramref name="problem"/> set to the line to print (without the tool prefix).</returns>
    public static DetectorSettings? Validate(
        DetectorOptions o, DateTimeOffset now, string? prometheusToken, string? jaegerToken, out string problem)
    {
        problem = "";
        string? p = null;
        Uri? prometheusUrl = HttpUrl(o.PrometheusUrl, "--prometheus-url", "http://localhost:9090", ref p);
        Uri? jaegerUrl = HttpUrl(o.JaegerUrl, "--jaeger-url", "http://localhost:16686", ref p);
        p ??= !(double.IsFinite(o.ThresholdMs) && o.ThresholdMs > 0) ? Bad("--threshold-ms", Num(o.ThresholdMs), "must be a number of ms > 0") : null;

        TimeSpan window = TimeSpan.Zero;
        p ??= !PromDuration.TryParse(o.Window, out window) || window < TimeSpan.FromSeconds(1)
            ? Bad("--window", o.Window, "must be a Prometheus duration of at least 1s, e.g. 30s, 5m, 1h, 1h30m")
            : null;

        DateTimeOffset? at = null;
        if (p is null && o.At is { } atText)
        {
            at = ParseInstant(atText);
            p = at is null
                ? Bad("--at", atText, "must be an RFC 3339 time (2026-11-25T12:00:00Z) or Unix seconds (1764072000)")
                : at > now + FutureSlack
                    ? Bad("--at", atText, "must not be in the future (it is evaluated against recorded data)")
                    : null;
        }

        p ??= o.Service is { } service && string.IsNullOrWhiteSpace(service) ? Bad("--service", service, "must be a Jaeger service name") : null;
        p ??= o.Traces is < 1 or > MaxTraces ? Bad("--traces", Num(o.Traces), $"must be a whole number from 1 to {MaxTraces}") : null;

        Severity? failOn = null;
        if (p is null)
        {
            switch (o.FailOn.ToLowerInvariant())
            {
                case "info": failOn = Severity.Info; break;
                case "warning": failOn = Severity.Warning; break;
                case "critical": failOn = Severity.Critical; break;
                case "none": break;
                default: p = Bad("--fail-on", o.FailOn, "must be one of info, warning, critical, none"); break;
            }
        }

        p ??= !(double.IsFinite(o.Timeout) && o.Timeout > 0) ? Bad("--timeout", Num(o.Timeout), "must be a number of seconds > 0") : null;
        p ??= CheckOutputFolder(o.Output);

        if (p is not null)
        {
            problem = p;
            return null;
        }

        return new DetectorSettings(
            prometheusUrl!, jaegerUrl!, o.Output, o.ThresholdMs, at, window, o.Window, o.Service, o.Traces, failOn, o.Timeout,
            NullIfEmpty(prometheusToken), NullIfEmpty(jaegerToken));
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

    private static string Bad(string option, string value, string allowed) => OptionChecks.Bad(option, value, allowed);

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex UnixSeconds();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
