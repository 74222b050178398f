using System.Globalization;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Comparison;

namespace PerfTools.Shared.Reports.Comparison;

/// <summary>The field formats and checks <see cref="ComparisonCsv"/> and <see cref="ComparisonJson"/> share, so the two
/// files say the same thing in the same digits.</summary>
internal static class ComparisonFields
{
    /// <summary>The <c>test</c> column of a tested row.</summary>
    public const string TestName = "mann-whitney-u";

    /// <summary>Shortest text that reads back to the same double ("R"): p-values can be 1e-40, and must stay so.</summary>
    public static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The test as read back, checked to be one this version writes.</summary>
    /// <exception cref="FormatException">A test other than Mann-Whitney U, or an inconsistent one.</exception>
    public static MannWhitneyResult? Test(string? test, long nBefore, long nAfter, string? method, double? u, double? z, double? p, double? superiority)
    {
        if (string.IsNullOrEmpty(test))
        {
            return null;
        }

        if (test != TestName)
        {
            throw new FormatException($"test '{test}' is not {TestName}");
        }

        if (method is not (MannWhitneyU.ExactMethod or MannWhitneyU.NormalMethod))
        {
            throw new FormatException($"method '{method}' is not '{MannWhitneyU.ExactMethod}' or '{MannWhitneyU.NormalMethod}'");
        }

        double pValue = p ?? throw new FormatException("p_value is missing");
        if (!(pValue is >= 0 and <= 1))
        {
            throw new FormatException($"p_value {Exact(pValue)} is not within 0..1");
        }

        return new MannWhitneyResult(
            nBefore, nAfter, u ?? throw new FormatException("u is missing"), z ?? throw new FormatException("z is missing"),
            pValue, method, superiority ?? throw new FormatException("prob_superiority is missing"));
    }

    /// <summary>The threshold test as read back; null when its fields are absent (a file from before it existed, or a
    /// row not tested).</summary>
    /// <exception cref="FormatException">Some of its fields present and others not, or a p outside 0..1.</exception>
    public static ThresholdTest? Threshold(double? minChangePct, double? pSlower, double? pFaster, double? p, double? pAdjusted, double? familySize)
    {
        double?[] fields = [minChangePct, pSlower, pFaster, p, pAdjusted, familySize];
        if (fields.All(f => f is null))
        {
            return null;
        }

        if (fields.Any(f => f is null))
        {
            throw new FormatException("min_change_pct, p_slower, p_faster, p_threshold, p_adjusted and family_size must be all given or all empty");
        }

        foreach ((string name, double value) in new[] { ("p_slower", pSlower!.Value), ("p_faster", pFaster!.Value), ("p_threshold", p!.Value), ("p_adjusted", pAdjusted!.Value) })
        {
            if (!(value is >= 0 and <= 1))
            {
                throw new FormatException($"{name} {Exact(value)} is not within 0..1");
            }
        }

        if (!(familySize is >= 1 and <= int.MaxValue) || familySize != Math.Floor(familySize.Value))
        {
            throw new FormatException($"family_size {Exact(familySize!.Value)} is not a whole number ≥ 1");
        }

        return new ThresholdTest(minChangePct!.Value, pSlower.Value, pFaster.Value, p.Value, pAdjusted.Value, (int)familySize.Value);
    }

    /// <summary>The shift as read back; null when its fields are absent.</summary>
    /// <exception cref="FormatException">Some of its fields present and others not, or a confidence outside (0, 1).</exception>
    public static ShiftEstimate? Shift(double? shift, double? low, double? high, double? confidence)
    {
        double?[] fields = [shift, low, high, confidence];
        if (fields.All(f => f is null))
        {
            return null;
        }

        if (fields.Any(f => f is null))
        {
            throw new FormatException("shift_ms, shift_low_ms, shift_high_ms and confidence must be all given or all empty");
        }

        return confidence is > 0 and < 1
            ? new ShiftEstimate(shift!.Value, low!.Value, high!.Value, confidence.Value)
            : throw new FormatException($"confidence {Exact(confidence!.Value)} is not above 0 and below 1");
    }

    /// <summary>A finite number in the invariant culture (<c>NaN</c> and <c>1e999</c> are not data).</summary>
    /// <exception cref="FormatException">Not a number, or not finite.</exception>
    public static double Number(string text, string name)
    {
        double value = CsvFiles.ParseDouble(text);
        return double.IsFinite(value) ? value : throw new FormatException($"{name} '{text}' is not a finite number");
    }

    /// <summary>As <see cref="Number"/>, null for an empty field.</summary>
    public static double? NullableNumber(string text, string name) => text.Length == 0 ? null : Number(text, name);

    /// <exception cref="FormatException">A negative sample count.</exception>
    public static long Count(long n, string name) => n >= 0 ? n : throw new FormatException($"{name} {n} is negative");
}
