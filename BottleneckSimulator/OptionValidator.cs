using System.Globalization;
using PerfTools.Shared.Cli;

namespace PerfTools.BottleneckSimulator;

/// <summary>Checks every option before anything is sent: the first problem becomes one line
/// <c>--option 'value': what is allowed</c>.</summary>
internal static class OptionValidator
{
    public const string All = "all";

    /// <summary>The scenarios in the order <c>all</c> runs them, as the original did.</summary>
    public static readonly IReadOnlyList<string> ScenarioNames = ["load", "n_plus_1", "slow", "memory"];

    /// <returns>The settings, or null with <paramref name="problem"/> set to the line to print (without the tool prefix).</returns>
    public static SimulatorSettings? Validate(SimulatorOptions o, out string problem)
    {
        problem = "";
        string? p = null;
        Uri? baseUrl = HttpUrl(o.BaseUrl, ref p);
        string scenario = o.Scenario.Trim().ToLowerInvariant();
        p ??= scenario != All && !ScenarioNames.Contains(scenario)
            ? Bad("--scenario", o.Scenario, "must be one of load, n_plus_1, slow, memory, all")
            : null;
        p ??= o.Rps < 0 ? Bad("--rps", Num(o.Rps), "must be a whole number ≥ 0 (0 = as fast as --max-in-flight allows)") : null;
        p ??= o.Duration < 1 ? Bad("--duration", Num(o.Duration), "must be a whole number of seconds ≥ 1") : null;
        p ??= o.MaxInFlight < 1 ? Bad("--max-in-flight", Num(o.MaxInFlight), "must be a whole number ≥ 1") : null;
        p ??= !(double.IsFinite(o.Timeout) && o.Timeout > 0) ? Bad("--timeout", Num(o.Timeout), "must be a number of seconds > 0") : null;
        p ??= !IsToken(o.Method) ? Bad("--method", o.Method, "must be an HTTP method such as GET or POST") : null;
        // Spaces and control characters are percent-encoded in the URL and escaped in the label, as the analyzer does.
        p ??= !o.Endpoint.StartsWith('/')
            ? Bad("--endpoint", o.Endpoint, "must be a path starting with '/', e.g. /boards")
            : null;

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

        p ??= CheckOutputFolder(o.Output);
        if (p is not null)
        {
            problem = p;
            return null;
        }

        return new SimulatorSettings(
            baseUrl!, scenario == All ? ScenarioNames : [scenario], o.Rps, TimeSpan.FromSeconds(o.Duration), o.Endpoint,
            o.Method.ToUpperInvariant(), headers, body, o.Timeout, o.MaxInFlight, o.Output);
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

    private static string Bad(string option, string value, string allowed) => OptionChecks.Bad(option, value, allowed);

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);

}
