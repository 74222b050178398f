using System.Globalization;
using System.Net.Http.Headers;

namespace PerfTools.Shared.Http;

/// <summary>Reads the server's own account of how long it took, so reports can set it against the client's latency.</summary>
/// <remarks>
/// <c>X-Response-Time-Ms</c> wins when present (an explicit number from the app: <c>12.3</c> or <c>12.3ms</c>).
/// Otherwise <c>Server-Timing</c> (https://www.w3.org/TR/server-timing/): the <c>dur</c> of the metric named
/// <c>total</c> when there is one, else the <c>dur</c> of the first metric that has a <c>dur</c>. Metrics are not
/// summed: they may overlap (<c>db</c> inside <c>app</c>), so a sum could exceed the real time.
/// Values that are not finite non-negative numbers count as absent.
/// </remarks>
public static class ServerTiming
{
    public const string ResponseTimeHeader = "X-Response-Time-Ms";
    public const string ServerTimingHeader = "Server-Timing";

    /// <summary>Server time in ms from response headers, or null when the server reports none.</summary>
    public static double? FromHeaders(HttpHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return FromValues(
            headers.NonValidated.TryGetValues(ResponseTimeHeader, out HeaderStringValues responseTime) ? responseTime : null,
            headers.NonValidated.TryGetValues(ServerTimingHeader, out HeaderStringValues serverTiming) ? serverTiming : null);
    }

    /// <summary>Server time in ms from the values of the two headers (null for a header that is absent), as the
    /// load engine reads them off the wire; or null when the server reports none.</summary>
    public static double? FromValues(IEnumerable<string>? responseTime, IEnumerable<string>? serverTiming)
    {
        if (responseTime is not null)
        {
            foreach (string value in responseTime)
            {
                if (ParseResponseTimeMs(value) is { } ms)
                {
                    return ms;
                }
            }
        }

        // Several header lines are one comma-separated list (RFC 9110 §5.3).
        return serverTiming is not null ? ParseServerTiming(string.Join(',', serverTiming)) : null;
    }

    /// <summary>Parses an <c>X-Response-Time-Ms</c> value: an invariant-culture number, optionally suffixed <c>ms</c>.</summary>
    public static double? ParseResponseTimeMs(string? value)
    {
        if (value is null)
        {
            return null;
        }

        ReadOnlySpan<char> text = value.AsSpan().Trim();
        if (text.EndsWith("ms", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^2].TrimEnd();
        }

        return ParseDuration(text);
    }

    /// <summary>Parses a <c>Server-Timing</c> value (<c>db;dur=2.1, total;dur=12.3;desc="all"</c>): see the type remarks.</summary>
    public static double? ParseServerTiming(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        double? first = null;
        foreach (string metric in SplitOutsideQuotes(value, ','))
        {
            List<string> parts = SplitOutsideQuotes(metric, ';');
            if (parts.Count == 0)
            {
                continue;
            }

            double? duration = null;
            for (int i = 1; i < parts.Count; i++)
            {
                int equals = parts[i].IndexOf('=');
                if (equals > 0 && parts[i].AsSpan(0, equals).Trim().Equals("dur", StringComparison.OrdinalIgnoreCase))
                {
                    duration = ParseDuration(parts[i].AsSpan(equals + 1).Trim().Trim('"'));
                    break;
                }
            }

            if (duration is null)
            {
                continue;
            }

            if (parts[0].Equals("total", StringComparison.OrdinalIgnoreCase))
            {
                return duration;
            }

            first ??= duration;
        }

        return first;
    }

    /// <summary>Splits on <paramref name="separator"/> except inside quoted strings (<c>desc="a, b"</c>);
    /// entries are trimmed, empty ones dropped.</summary>
    private static List<string> SplitOutsideQuotes(string text, char separator)
    {
        var parts = new List<string>();
        bool quoted = false;
        int start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] == '"')
            {
                quoted = !quoted;
            }
            else if (i == text.Length || (text[i] == separator && !quoted))
            {
                string part = text[start..i].Trim();
                if (part.Length > 0)
                {
                    parts.Add(part);
                }

                start = i + 1;
            }
        }

        return parts;
    }

    private static double? ParseDuration(ReadOnlySpan<char> text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double ms)
            && double.IsFinite(ms) && ms >= 0
            ? ms
            : null;
}
