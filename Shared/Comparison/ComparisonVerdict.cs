namespace PerfTools.Shared.Comparison;

/// <summary>What a comparison of latencies concludes; <see cref="ComparisonVerdicts"/> gives the words reports use.</summary>
public enum ComparisonVerdict
{
    /// <summary>"after" is smaller by more than the threshold, significantly (adjusted p &lt; α).</summary>
    Faster,

    /// <summary>"after" is larger by more than the threshold, significantly (adjusted p &lt; α).</summary>
    Slower,

    /// <summary>Not significantly beyond the threshold: the difference may be noise, or too small to matter.</summary>
    NoSignificantChange,

    /// <summary>The simulator's corrected and uncorrected latencies disagree: the load generator's own lag may be what
    /// changed, so neither verdict is trusted.</summary>
    Inconclusive,

    /// <summary>Fewer than 2 samples on a side: not tested.</summary>
    NotEnoughSamples,
}

/// <summary>The text forms of <see cref="ComparisonVerdict"/> (<c>faster</c>, <c>slower</c>, <c>no significant change</c>,
/// <c>inconclusive</c>, <c>not enough samples</c>) that the console, the CSV and JSON files and the HTML page all use.</summary>
public static class ComparisonVerdicts
{
    public static string ToText(this ComparisonVerdict verdict) => verdict switch
    {
        ComparisonVerdict.Faster => "faster",
        ComparisonVerdict.Slower => "slower",
        ComparisonVerdict.NoSignificantChange => "no significant change",
        ComparisonVerdict.Inconclusive => "inconclusive",
        ComparisonVerdict.NotEnoughSamples => "not enough samples",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "Not a verdict."),
    };

    /// <summary>The verdict a text form names (exact, lower case).</summary>
    /// <exception cref="FormatException">Not one of the five forms.</exception>
    public static ComparisonVerdict Parse(string text) => text switch
    {
        "faster" => ComparisonVerdict.Faster,
        "slower" => ComparisonVerdict.Slower,
        "no significant change" => ComparisonVerdict.NoSignificantChange,
        "inconclusive" => ComparisonVerdict.Inconclusive,
        "not enough samples" => ComparisonVerdict.NotEnoughSamples,
        _ => throw new FormatException($"'{text}' is not a verdict (faster, slower, no significant change, inconclusive, not enough samples)"),
    };
}
