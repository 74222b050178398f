using System.Globalization;
using PerfTools.Shared.Metrics;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary>Formatting shared by the metric rules: targets, numbers, PromQL fragments.</summary>
internal static class RuleText
{
    /// <summary>A selector with extra matchers: <c>Select("up", "job=\"forum\"")</c> is <c>up{job="forum"}</c>; merges into an existing <c>{...}</c>.</summary>
    public static string Select(string metric, params string?[] matchers)
    {
        var present = matchers.Where(m => !string.IsNullOrEmpty(m)).ToList();
        if (present.Count == 0)
        {
            return metric;
        }

        return metric.EndsWith('}')
            ? $"{metric[..^1]},{string.Join(",", present)}}}"
            : $"{metric}{{{string.Join(",", present)}}}";
    }

    public static string By(params string?[] labels)
    {
        var present = labels.Where(l => l != null).ToList();
        return present.Count == 0 ? "" : $" by ({string.Join(", ", present)})";
    }

    /// <summary>The route, or a placeholder for series without one (unmatched paths, a service-wide figure).</summary>
    public static string Route(PrometheusSeries series, string? label) =>
        label == null ? "(service)" : series.Label(label) is { Length: > 0 } route ? route : "(no route)";

    /// <summary>job (instance) of a process-level series, or "service" when neither label is there.</summary>
    public static string Process(PrometheusSeries series)
    {
        var job = series.Label("job");
        var instance = series.Label("instance");
        return (job, instance) switch
        {
            ("", "") => "service",
            (_, "") => job,
            ("", _) => instance,
            _ => $"{job} ({instance})",
        };
    }

    public static string ProcessKey(PrometheusSeries series) => series.Label("job") + "\u0000" + series.Label("instance");

    public static string N(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Bytes(double bytes) =>
        Math.Abs(bytes) >= 1024 * 1024 * 1024 ? N(bytes / (1024.0 * 1024 * 1024), "0.0#") + " GiB"
        : Math.Abs(bytes) >= 1024 * 1024 ? N(bytes / (1024.0 * 1024), "0.#") + " MiB"
        : N(bytes / 1024.0, "0.#") + " KiB";

    public static bool IsNumber(double value) => !double.IsNaN(value) && !double.IsInfinity(value);
}
