using System.Globalization;

namespace PerfTools.Shared.Metrics;

/// <summary>Evaluation instants as the API accepts them: Unix seconds (sent) or RFC 3339 (also read, for <c>--at</c>).</summary>
public static class PrometheusTime
{
    /// <summary>Unix seconds with up to millisecond precision, invariant culture: <c>1795000000.25</c>.</summary>
    public static string Format(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Reads <c>2026-11-25T18:30:00Z</c> (RFC 3339, an offset required) or <c>1795000000</c> / <c>1795000000.5</c> (Unix seconds).</summary>
    public static bool TryParse(string text, out DateTimeOffset time)
    {
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            time = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
            return true;
        }

        // RFC 3339 needs an explicit offset or Z: a bare local time would silently depend on the machine's zone
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        if (hasOffset && text.Contains('T', StringComparison.OrdinalIgnoreCase)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out time))
        {
            return true;
        }

        time = default;
        return false;
    }
}
