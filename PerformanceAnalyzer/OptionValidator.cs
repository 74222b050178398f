using System.Globalization;
using PerfTools.Shared.Cli;

namespace PerfTools.PerformanceAnalyzer;

/// <summary>Checks every option before anything is sent (Spectre.Console.Cli's <c>Validate</c> apart from
/// <c>Execute</c>): the first problem becomes one line <c>--option 'value': what is allowed</c>.</summary>
internal static class OptionValidator
{
    /// <returns>The settings, or null with <paramref name="problem"/> set to the line to print (without the tool prefix).</returns>
    public static AnalyzerSettings? Validate(AnalyzerOptions o, out string problem)
    {
        problem = "";
        string? p = null;
        Uri? baseUrl = HttpUrl(o.BaseUrl, "--base-url", ref p);
        Uri? jaegerUrl = HttpUrl(o.JaegerUrl, "--jaeger-url", ref p);
        p ??= o.Iterations < 1 ? Bad("--iterations", Num(o.Iterations), "must be a whole number ≥ 1") : null;
        p ??= o.Concurrency < 1 ? Bad("--concurrency", Num(o.Concurrency), "must be a whole number ≥ 1") : null;
        p ??= o.DelayMs < 0 ? Bad("--delay-ms", Num(o.DelayMs), "must be a whole number of ms ≥ 0") : null;
        p ??= o.Warmup < 0 ? Bad("--warmup", Num(o.Warmup), "must be a whole number ≥ 0") : null;
        p ??= !(double.IsFinite(o.Timeout) && o.Timeout > 0) ? Bad("--timeout", Num(o.Timeout), "must be a number of seconds > 0") : null;
        p ??= o.MaxP95Ms is { } gate && !(double.IsFinite(gate) && gate > 0)
            ? Bad("--max-p95-ms", Num(gate), "must be a number of ms > 0")
            : null;
        p ??= !IsToken(o.Method) ? Bad("--method", o.Method, "must be an HTTP method such as GET or POST") : null;

        IReadOnlyList<KeyValuePair<string, string>> headers = [];
        if (p is null)
        {
            headers = OptionChecks.Headers(o.Headers, out p);
        }

        if (p is null)
        {
            if (o.TestAll && o.Endpoint is not null)
            {
                p = Bad("--endpoint", o.Endpoint, "give either --endpoint or --test-all, not both");
            }
            else if (!o.TestAll && o.Endpoint is null)
            {
                p = "--test-all/--endpoint: nothing to measure; give --test-all (walk the Forum API) or --endpoint PATH";
            }
            else if (o.Endpoint is { } path && !path.StartsWith('/'))
            {
                p = Bad("--endpoint", path, "must be a path starting with '/', e.g. /boards");
            }
            else if (o.TestAll && o.Data is not null)
            {
                p = Bad("--data", o.Data, "only used with --endpoint (--test-all builds its own bodies)");
            }
        }

        byte[]? body = null;
        if (p is null && o.Data is { } data)
        {
            body = ReadDataOnce(data, ref p);
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
            o.Concurrency, o.DelayMs, o.Warmup, headers, body, o.Timeout, o.MaxP95Ms);
    }

    private static Uri? HttpUrl(string text, string option, ref string? problem)
    {
        if (problem is not null)
        {
            return null;
        }

        Uri? url = OptionChecks.HttpUrl(text, option, "http://localhost:8080", out problem);
        return url;
    }

    private static byte[]? ReadDataOnce(string data, ref string? problem)
    {
        byte[]? body = OptionChecks.ReadData(data, out string? p);
        problem ??= p;
        return body;
    }

    private static string Bad(string option, string value, string allowed) => OptionChecks.Bad(option, value, allowed);

    private static bool IsToken(string text) => OptionChecks.IsToken(text);

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);

}
