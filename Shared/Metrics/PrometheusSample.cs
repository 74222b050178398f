using System.Globalization;

namespace PerfTools.Shared.Metrics;

/// <summary>One value at one instant; Prometheus sends <c>[unix_seconds, "value"]</c>, and the value may be NaN or ±Inf.</summary>
public readonly record struct PrometheusSample(double TimeUnixSeconds, double Value)
{
    /// <summary>A value as Prometheus writes it (sample values, <c>le</c> and <c>quantile</c> labels): a decimal, <c>NaN</c>, <c>+Inf</c> or <c>-Inf</c>.</summary>
    public static double ParseValue(string? text) => text switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" or null => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
