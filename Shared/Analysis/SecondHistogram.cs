using System.Runtime.InteropServices;
using HdrHistogram;
using HdrHistogram.Iteration;

namespace PerfTools.Shared.Analysis;

/// <summary>One second's latencies at the very buckets of the overall <see cref="LatencyRecorder"/> (3 significant
/// digits, 1 µs to an hour), kept sparse: a count per non-empty bucket, keyed by the bucket's lowest value. The
/// seconds of a run add up, bucket for bucket, to its overall histogram, and a second costs its distinct buckets
/// (a few dozen to a few hundred entries), not the 22,528 counters of a dense 3-digit histogram.</summary>
/// <remarks>Not thread-safe (one per recorder shard, as <see cref="LatencyRecorder"/>). Percentiles are nearest rank
/// as <see cref="LatencyRecorder"/> defines them, clamped into the exact minimum and maximum.</remarks>
public sealed class SecondHistogram
{
    /// <summary>The bucket layout every histogram of a run shares: read only (<see cref="HistogramBase.LowestEquivalentValue"/>
    /// is pure arithmetic), so one instance serves every thread.</summary>
    private static readonly LongHistogram Layout = NewHistogram();

    // Hashed, one lookup per value on the hot path; sorted only where order matters (percentiles, the listing).
    private readonly Dictionary<long, long> _counts = [];
    private long _min = long.MaxValue;
    private long _max;

    public long Count { get; private set; }

    /// <summary>Exact smallest recorded value (after clamping), µs; 0 when empty.</summary>
    public long MinMicros => Count == 0 ? 0 : _min;

    /// <summary>Exact largest recorded value (after clamping), µs; 0 when empty.</summary>
    public long MaxMicros => _max;

    /// <summary>An empty dense histogram of the run's layout (what the .hlog encodes and its readers decode).</summary>
    public static LongHistogram NewHistogram() =>
        new(LatencyRecorder.LowestMicros, LatencyRecorder.HighestMicros, LatencyRecorder.SignificantDigits);

    public void Record(long micros)
    {
        long value = Math.Clamp(micros, LatencyRecorder.LowestMicros, LatencyRecorder.HighestMicros);
        long bucket = Layout.LowestEquivalentValue(value);
        CollectionsMarshal.GetValueRefOrAddDefault(_counts, bucket, out _)++;
        Count++;
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
    }

    /// <summary>Adds <paramref name="count"/> values of the bucket holding <paramref name="micros"/>, with that value
    /// as both bound (for histograms read back from a file, where only the buckets are known).</summary>
    public void Record(long micros, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }

        long value = Math.Clamp(micros, LatencyRecorder.LowestMicros, LatencyRecorder.HighestMicros);
        long bucket = Layout.LowestEquivalentValue(value);
        CollectionsMarshal.GetValueRefOrAddDefault(_counts, bucket, out _) += count;
        Count += count;
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
    }

    /// <summary>Widens the exact bounds to <paramref name="minMicros"/> and <paramref name="maxMicros"/> when they are
    /// known apart from the buckets (a merged run: each part's exact maximum).</summary>
    public void Widen(long minMicros, long maxMicros)
    {
        if (Count > 0)
        {
            _min = Math.Min(_min, minMicros);
            _max = Math.Max(_max, maxMicros);
        }
    }

    /// <summary>p50, p90, p95, p99 and max as a report gives them; <paramref name="meanMicros"/> as known apart.</summary>
    public LatencySummary Summary(long meanMicros) => Count == 0
        ? LatencySummary.Empty
        : new(ValueAtPercentileMicros(50), ValueAtPercentileMicros(90), ValueAtPercentileMicros(99), MaxMicros)
        {
            P95Micros = ValueAtPercentileMicros(95),
            MeanMicros = meanMicros,
        };

    public void Add(SecondHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
        {
            return;
        }

        foreach (var (bucket, n) in other._counts)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_counts, bucket, out _) += n;
        }

        Count += other.Count;
        _min = Math.Min(_min, other._min);
        _max = Math.Max(_max, other._max);
    }

    /// <summary>(bucket's lowest value, count) per non-empty bucket, ascending.</summary>
    public IEnumerable<(long ValueMicros, long Count)> Buckets => Ascending().Select(kv => (kv.Key, kv.Value));

    /// <summary>The nearest-rank percentile in µs (see <see cref="LatencyRecorder.ValueAtPercentileMicros"/>); 0 when empty.</summary>
    public long ValueAtPercentileMicros(double percentile)
    {
        long rank = LatencyRecorder.NearestRank(percentile, Count);
        if (rank == 0)
        {
            return 0;
        }

        if (rank == 1)
        {
            return MinMicros;
        }

        if (rank == Count)
        {
            return MaxMicros;
        }

        long seen = 0;
        foreach (var (bucket, n) in Ascending())
        {
            seen += n;
            if (seen >= rank)
            {
                return Math.Clamp(bucket, MinMicros, MaxMicros);
            }
        }

        return MaxMicros;
    }

    private IOrderedEnumerable<KeyValuePair<long, long>> Ascending() => _counts.OrderBy(kv => kv.Key);

    /// <summary>The dense HdrHistogram of these values, for encoding; its buckets are exactly this one's.</summary>
    public LongHistogram ToHistogram()
    {
        LongHistogram histogram = NewHistogram();
        CopyInto(histogram);
        return histogram;
    }

    /// <summary>Adds these values to <paramref name="histogram"/> (of the same layout).</summary>
    public void CopyInto(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        foreach (var (bucket, n) in _counts)
        {
            histogram.RecordValueWithCount(bucket, n);
        }
    }

    /// <summary>The buckets of a decoded histogram (of the same layout: the caller checks it).</summary>
    public static SecondHistogram From(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var result = new SecondHistogram();
        foreach (HistogramIterationValue v in histogram.RecordedValues())
        {
            result.Record(histogram.LowestEquivalentValue(v.ValueIteratedTo), v.CountAtValueIteratedTo);
        }

        return result;
    }
}
