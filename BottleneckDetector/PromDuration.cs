using System.Globalization;
using System.Text.RegularExpressions;

namespace PerfTools.BottleneckDetector;

/// <summary>Parses a Prometheus duration (<c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>2d</c>, <c>500ms</c>), the form
/// <c>--window</c> takes and PromQL range selectors use, so the text given can go into a query unchanged.</summary>
/// <remarks>Grammar as in Prometheus' <c>model.ParseDuration</c>: one or more number-unit pairs, units
/// y (365 d), w, d, h, m, s, ms, each at most once and from the largest down; no sign, no fractions.</remarks>
internal static partial class PromDuration
{
    private static readonly (string Unit, TimeSpan Size)[] Units =
    [
        ("y", TimeSpan.FromDays(365)), ("w", TimeSpan.FromDays(7)), ("d", TimeSpan.FromDays(1)), ("h", TimeSpan.FromHours(1)),
        ("m", TimeSpan.FromMinutes(1)), ("s", TimeSpan.FromSeconds(1)), ("ms", TimeSpan.FromMilliseconds(1)),
    ];

    /// <exception cref="FormatException"><paramref name="text"/> is not a Prometheus duration.</exception>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out TimeSpan value) ? value : throw new FormatException($"'{text}' is not a Prometheus duration such as 30s, 5m or 1h30m");

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text) || !Whole().IsMatch(text))
        {
            return false;
        }

        int last = -1; // index into Units of the previous pair's unit: each later one must be smaller
        long totalMs = 0;
        foreach (Match pair in Pair().Matches(text))
        {
            int unit = Array.FindIndex(Units, u => u.Unit == pair.Groups[2].Value);
            if (unit <= last || !long.TryParse(pair.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long count))
            {
                return false;
            }

            last = unit;
            try
            {
                totalMs = checked(totalMs + checked(count * (long)Units[unit].Size.TotalMilliseconds));
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        if (totalMs > (long)TimeSpan.MaxValue.TotalMilliseconds)
        {
            return false;
        }

        value = TimeSpan.FromMilliseconds(totalMs);
        return true;
    }

    // "ms" before "m" and "s": the alternation is tried in order.
    [GeneratedRegex("^([0-9]+(ms|y|w|d|h|m|s))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Whole();

    [GeneratedRegex("([0-9]+)(ms|y|w|d|h|m|s)", RegexOptions.CultureInvariant)]
    private static partial Regex Pair();
}
