using HdrHistogram;

namespace PerfTools.Shared.Analysis;

/// <summary>Records latencies as integer microseconds into an HdrHistogram, so memory stays flat however long a
/// run is; one per worker, merged with <see cref="Add"/> at the end (not thread-safe by design).</summary>
/// <remarks>
/// Percentile definition: nearest rank — the smallest recorded value v such that at least p% of the values are ≤ v
/// (rank ⌈p/100 · n⌉, at least 1). The histogram keeps 3 significant digits, so the value reported is the lowest
/// value of v's histogram bucket (exact below 2048 µs, at most 0.1% low above), clamped into the exact
/// [<see cref="MinMicros"/>, <see cref="MaxMicros"/>]. Ranks 1 and n are reported as the exact minimum and maximum.
/// </remarks>
public sealed class LatencyRecorder
{
    /// <summary>Values are clamped to at least 1 µs: the histogram cannot hold 0.</summary>
    public const long LowestMicros = 1;

    /// <summary>One hour; longer values are clamped to it.</summary>
    public const long HighestMicros = 3_600_000_000;

    public const int SignificantDigits = 3;

    private readonly LongHistogram _histogram;
    private long _min = long.MaxValue;
    private long _max;
    private long _sum; // µs; overflows only after 2.5 million hours of latency

    public LatencyRecorder()
        : this(SignificantDigits)
    {
    }

    /// <summary>A recorder with coarser buckets, for the many small ones of a time series (2 digits: 1% buckets, a
    /// tenth of the memory); it can only be merged with recorders of the same precision.</summary>
    public LatencyRecorder(int significantDigits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(significantDigits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(significantDigits, 5);
        _histogram = new LongHistogram(LowestMicros, HighestMicros, significantDigits);
    }

    public long Count => _histogram.TotalCount;

    /// <summary>Exact smallest recorded value (after clamping), µs; 0 when empty.</summary>
    public long MinMicros => Count == 0 ? 0 : _min;

    /// <summary>Exact largest recorded value (after clamping), µs; 0 when empty.</summary>
    public long MaxMicros => _max;

    /// <summary>Exact mean of the recorded values (after clamping), µs; 0 when empty.</summary>
    public double MeanMicros => Count == 0 ? 0 : (double)_sum / Count;

    public void Record(long micros)
    {
        long value = Math.Clamp(micros, LowestMicros, HighestMicros);
        _histogram.RecordValue(value);
        _sum += value;
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
    }

    /// <summary>The nearest rank of <paramref name="percentile"/> among <paramref name="count"/> values, 1..count; 0
    /// when there are none.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The percentile is not within 0..100.</exception>
    internal static long NearestRank(double percentile, long count)
    {
        if (!(percentile is >= 0 and <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "Percentile must be within 0..100.");
        }

        if (count == 0)
        {
            return 0;
        }

        // The relative nudge keeps exact ranks exact despite binary fractions (99.9 · 1000 = 99900.000000000015).
        double exactRank = percentile / 100.0 * count;
        return Math.Clamp((long)Math.Ceiling(exactRank - (exactRank * 1e-12)), 1, count);
    }

    /// <summary>Merges another recorder's values into this one (wrk2's <c>hdr_add</c>).</summary>
    public void Add(LatencyRecorder other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
        {
            return;
        }

        _histogram.Add(other._histogram);
        _sum += other._sum;
        _min = Math.Min(_min, other._min);
        _max = Math.Max(_max, other._max);
    }

    /// <summary>The non-empty buckets in ascending order, each as (its representative value, how many values it holds):
    /// the samples at the histogram's resolution, for tests on the whole distribution (<see cref="MannWhitneyU"/>).</summary>
    /// <remarks>The representative is the bucket's lowest value, clamped into [<see cref="MinMicros"/>,
    /// <see cref="MaxMicros"/>], as the percentiles use it: exact below 2048 µs, at most 0.1% low above (3 digits).</remarks>
    public IReadOnlyList<(long ValueMicros, long Count)> RecordedValues()
    {
        var values = new List<(long ValueMicros, long Count)>();
        if (Count == 0)
        {
            return values;
        }

        foreach (var bucket in _histogram.RecordedValues())
        {
            long value = Math.Clamp(_histogram.LowestEquivalentValue(bucket.ValueIteratedTo), MinMicros, MaxMicros);
            values.Add((value, bucket.CountAtValueIteratedTo));
        }

        return values;
    }

    /// <summary>The nearest-rank percentile in µs, as defined in the type remarks; 0 when empty.</summary>
    /// <param name="percentile">0 to 100.</param>
    public long ValueAtPercentileMicros(double percentile)
    {
        long count = Count;
        long rank = NearestRank(percentile, count);
        if (rank == 0)
        {
            return 0;
        }

        // The extreme ranks are known exactly, without bucket rounding.
        if (rank == 1)
        {
            return MinMicros;
        }

        if (rank == count)
        {
            return MaxMicros;
        }

        foreach (var bucket in _histogram.RecordedValues())
        {
            if (bucket.TotalCountToThisValue >= rank)
            {
                return Math.Clamp(_histogram.LowestEquivalentValue(bucket.ValueIteratedTo), MinMicros, MaxMicros);
            }
        }

        return MaxMicros;
    }
}
