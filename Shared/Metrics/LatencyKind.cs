namespace PerfTools.Shared.Metrics;

/// <summary>How a latency family can be judged: by bucket quantiles, or only by its mean (and <c>_max</c> where exported).</summary>
public enum LatencyKind
{
    /// <summary><c>_bucket</c> series exist: <c>histogram_quantile</c> works, bounded by the bucket edges.</summary>
    Histogram,

    /// <summary>A summary (client-side quantiles, not aggregatable across instances) or <c>_sum</c>/<c>_count</c> only, as Micrometer exports by default.</summary>
    MeanOnly,
}
