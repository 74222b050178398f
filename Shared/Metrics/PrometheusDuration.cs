using System.Globalization;
using System.Text.RegularExpressions;

namespace PerfTools.Shared.Metrics;

/// <summary>Prometheus duration strings (<c>5m</c>, <c>90s</c>, <c>1h30m</c>) to and from <see cref="TimeSpan"/>.</summary>
public static partial class PrometheusDuration
{
    /// <summary>The largest whole unit that fits: 5 minutes is <c>5m</c>, 90 seconds <c>90s</c>, 1.5 s <c>1500ms</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "a PromQL duration must be positive");
        }

        var ms = (long)Math.Round(duration.TotalMilliseconds);
        if (ms % 1000 != 0)
        {
            return ms.ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var s = ms / 1000;
        if (s % 3600 == 0)
        {
            return (s / 3600).ToString(CultureInfo.InvariantCulture) + "h";
        }

        return s % 60 == 0
            ? (s / 60).ToString(CultureInfo.InvariantCulture) + "m"
            : s.ToString(CultureInfo.InvariantCulture) + "s";
    }

    /// <summary>Parses <c>1h30m</c>, <c>5m</c>, <c>30s</c>, <c>250ms</c>, <c>1d</c>, <c>1w</c>; false for anything else.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = DurationPattern().Match(text);
        if (!match.Success || text.Length == 0)
        {
            return false;
        }

        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unitStart = part.Value.IndexOfAny(['m', 's', 'h', 'd', 'w', 'y']);
            var number = long.Parse(part.Value[..unitStart], CultureInfo.InvariantCulture);
            duration += part.Value[unitStart..] switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => TimeSpan.FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                "h" => TimeSpan.FromHours(number),
                "d" => TimeSpan.FromDays(number),
                "w" => TimeSpan.FromDays(7 * number),
                _ => TimeSpan.FromDays(365 * number), // y, as Prometheus counts it
            };
        }

        return duration > TimeSpan.Zero;
    }

    [GeneratedRegex(@"^(?<part>[0-9]+(ms|s|m|h|d|w|y))+$")]
    private static partial Regex DurationPattern();
}
