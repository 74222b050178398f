namespace PerfTools.Shared.Analysis;

/// <summary>What a comparison of latencies concludes; <see cref="ComparisonVerdicts"/> gives the words reports use.</summary>
public enum ComparisonVerdict
{
    /// <summary>Significant (p &lt; α) and "after" tends to be smaller.</summary>
    Faster,

    /// <summary>Significant (p &lt; α) and "after" tends to be larger.</summary>
    Slower,

    /// <summary>p ≥ α: the difference may be noise.</summary>
    NoSignificantChange,

    /// <summary>Fewer than 2 samples on a side: not tested.</summary>
    NotEnoughSamples,
}
