using System.Globalization;

namespace PerfTools.Shared.Text;

/// <summary>The one way a duration becomes milliseconds text, in the invariant culture: console tables, the live line,
/// comparisons, trace breakdowns and the report files all go through it, so one figure reads the same everywhere.</summary>
public static class Milliseconds
{
    /// <summary><paramref name="ms"/> with exactly <paramref name="decimals"/> decimals, halves rounded away from zero
    /// (<c>12.345</c> → <c>12.35</c>); empty for null.</summary>
    public static string Text(double? ms, int decimals = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        return ms is { } v
            ? Math.Round(v, decimals, MidpointRounding.AwayFromZero).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
            : "";
    }

    /// <summary>µs as ms with exactly <paramref name="decimals"/> decimals; with 3 (the files' form) the text is exact, in
    /// integer arithmetic, so it reads back to the same µs.</summary>
    public static string FromMicros(long micros, int decimals = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        if (decimals != 3)
        {
            // decimal: exact for every long, and halves round away from zero as in Text.
            decimal ms = Math.Round(micros / 1000m, Math.Min(decimals, 28), MidpointRounding.AwayFromZero);
            return ms.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        var sign = micros < 0 ? "-" : "";
        var abs = Math.Abs((decimal)micros); // decimal: |long.MinValue| does not fit a long
        var whole = decimal.Truncate(abs / 1000m);
        var frac = abs - whole * 1000m;
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{whole:0}.{frac:000}");
    }

    /// <summary>The inverse of <see cref="FromMicros"/> with 3 decimals: <c>"1.234"</c> → 1234 µs.</summary>
    public static long ToMicros(string text) =>
        (long)decimal.Round(decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) * 1000m);
}
