using System.Globalization;

namespace PerfTools.Shared.Metrics;

/// <summary>One value at one instant; Prometheus sends <c>[unix_seconds, "value"]</c>, and the value may be NaN or ±Inf.</summary>
public readonly record struct PrometheusSample(double TimeUnixSeconds, double Value)
{
    /// <summary>
    /// A value as Prometheus writes it (sample values, <c>le</c> and <c>quantile</c> labels): a decimal, <c>NaN</c>, <c>+Inf</c>
    /// or <c>-Inf</c>; null reads as NaN. False for any other text: it comes from a server, so it is not trusted to be one.
    /// </summary>
    public static bool TryParseValue(string? text, out double value)
    {
        switch (text)
        {
            case "+Inf" or "Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN" or null:
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
