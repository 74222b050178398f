namespace PerfTools.Shared.Comparison;

/// <summary>What became of a finding between a baseline run of the detector and this one; reports list them in this order.</summary>
public enum FindingStatus
{
    /// <summary>Found now, not in the baseline (whose source did check for it).</summary>
    New,

    /// <summary>Found in both runs; the values before and after say whether it got better or worse.</summary>
    Remaining,

    /// <summary>In the baseline, not found now (and its source was checked now): the problem went away.</summary>
    Gone,

    /// <summary>Found in one run only, but the other run could not look for it (its source was unreachable or the run
    /// was interrupted), so neither "new" nor "gone" would be true.</summary>
    NotChecked,
}
