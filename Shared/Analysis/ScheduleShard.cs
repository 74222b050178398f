namespace PerfTools.Shared.Analysis;

/// <summary>Which share of one schedule a process sends (<c>--shard K/N</c>): the items i with i ≡ K−1 (mod N), so N
/// processes at the same rate together send the one schedule, interleaved (k6's execution segments).</summary>
/// <param name="Index">K, 1-based.</param>
/// <param name="Count">N ≥ 1.</param>
public sealed record ScheduleShard(int Index, int Count)
{
    /// <summary>The whole schedule: 1/1.</summary>
    public static ScheduleShard Whole { get; } = new(1, 1);

    public override string ToString() => $"{Index}/{Count}";

    /// <summary>"K/N" with 1 ≤ K ≤ N, or null.</summary>
    public static ScheduleShard? Parse(string text)
    {
        string[] parts = text.Trim().Split('/');
        return parts.Length == 2
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int k)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n)
            && n >= 1 && k >= 1 && k <= n
            ? new ScheduleShard(k, n)
            : null;
    }

    /// <summary>How many of the first <paramref name="total"/> items of the schedule are this shard's.</summary>
    public long ItemsOf(long total) => total <= Index - 1 ? 0 : ((total - Index) / Count) + 1;

    /// <summary>The schedule's index of this shard's <paramref name="local"/>-th item.</summary>
    public long GlobalIndex(long local) => (local * Count) + Index - 1;
}

/// <summary>One second's corrected and uncorrected latencies, as the .hlog writes them.</summary>
public sealed record SecondLatencies(SecondHistogram Corrected, SecondHistogram Uncorrected);
