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

    // Upper bounds: past these a value is a typo, not a plan (a week-long scenario, a million requests a second).
    public const int MaxRps = 1_000_000;
    public const int MaxDurationSeconds = 604_800;
    public const int MaxInFlight = 100_000;

    /// <summary>What each option allows, in the words every message about it uses (the parser's too).</summary>
    private static readonly Dictionary<string, string> AllowedText = new(StringComparer.Ordinal)
    {
        ["--base-url"] = OptionChecks.UrlAllowed("http://localhost:8080"),
        ["--scenario"] = "must be one of load, n_plus_1, slow, memory, all",
        ["--rps"] = Range("a whole number", 0, MaxRps) + " (0 = as fast as --max-in-flight allows)",
        ["--duration"] = Range("a whole number of seconds", 1, MaxDurationSeconds) + " (a week)",
        ["--endpoint"] = "must be a path starting with '/' without spaces, e.g. /boards",
        ["--method"] = "must be an HTTP method such as GET or POST",
        ["--header"] = "must be 'Name: value' with a valid header name",
        ["--data"] = "must be the body, or @file naming a readable file",
        ["--timeout"] = OptionChecks.TimeoutAllowed,
        ["--max-in-flight"] = Range("a whole number", 1, MaxInFlight),
        ["--output"] = "must be a folder that can be created and written",
    };

    /// <summary>What <paramref name="option"/> allows, for the parser's messages.</summary>
    public static string? Allowed(string option) => AllowedText.GetValueOrDefault(option);

    /// <returns>The settings, or null with <paramref name="problem"/> set to the line to print (without the tool prefix).</returns>
    public static SimulatorSettings? Validate(SimulatorOptions o, out string problem)
    {
        problem = "";
        string? p = null;
        Uri? baseUrl = HttpUrl(o.BaseUrl, ref p);
        string scenario = o.Scenario.Trim().ToLowerInvariant();
        p ??= scenario != All && !ScenarioNames.Contains(scenario) ? Bad("--scenario", o.Scenario) : null;
        p ??= o.Rps is < 0 or > MaxRps ? Bad("--rps", Num(o.Rps)) : null;
        p ??= o.Duration is < 1 or > MaxDurationSeconds ? Bad("--duration", Num(o.Duration)) : null;
        p ??= o.MaxInFlight is < 1 or > MaxInFlight ? Bad("--max-in-flight", Num(o.MaxInFlight)) : null;
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

    private static string Bad(string option, string value) => OptionChecks.Bad(option, value, AllowedText[option]);

    private static string Range(string what, int min, int max) =>
        string.Create(CultureInfo.InvariantCulture, $"must be {what} from {min} to {max}");

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);

}
