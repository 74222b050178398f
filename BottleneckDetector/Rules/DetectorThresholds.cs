namespace PerfTools.BottleneckDetector.Rules;

/// <summary>The limits the metric rules compare with; the defaults are the documented ones.</summary>
public sealed record DetectorThresholds
{
    /// <summary>slow_endpoint: p95 (or, without buckets, the mean) above this is a warning.</summary>
    public double SlowEndpointMs { get; init; } = 500;

    /// <summary>slow_endpoint: at this multiple of <see cref="SlowEndpointMs"/> it is critical.</summary>
    public double SlowEndpointCriticalFactor { get; init; } = 2;

    /// <summary>error_rate: share of 5xx responses above this is a warning.</summary>
    public double ErrorRatio { get; init; } = 0.01;

    /// <summary>error_rate: above this, critical.</summary>
    public double ErrorCriticalRatio { get; init; } = 0.05;

    /// <summary>error_rate and n_plus_one judge a route only with enough traffic: at least this many requests/s ...</summary>
    public double MinRequestsPerSecond { get; init; } = 1;

    /// <summary>... or at least this many requests in the window (so a 5-minute window needs 50 requests, 0.17/s).</summary>
    public double MinRequestsInWindow { get; init; } = 50;

    /// <summary>high_db_usage: DB queries/s of the whole service above this is a warning.</summary>
    public double DbQueriesPerSecond { get; init; } = 200;

    /// <summary>high_db_usage: a route at or above this many queries per request (but below n_plus_one's) is reported as info.</summary>
    public double DbQueriesPerRequest { get; init; } = 5;

    /// <summary>n_plus_one: queries per request on one route at or above this is a warning.</summary>
    public double NPlusOneQueriesPerRequest { get; init; } = 10;

    /// <summary>n_plus_one judges a route once it served this many requests in the window: queries per request is a
    /// ratio that a handful of requests already shows, unlike an error share.</summary>
    public double NPlusOneMinRequestsInWindow { get; init; } = 10;

    /// <summary>n_plus_one: at or above this, critical.</summary>
    public double NPlusOneCriticalQueriesPerRequest { get; init; } = 50;

    /// <summary>memory_growth: a least-squares slope above this (bytes/s; 10 KiB/s is 36 MiB an hour) ...</summary>
    public double MemoryGrowthBytesPerSecond { get; init; } = 10 * 1024;

    /// <summary>... with a fit at least this good (R²) is sustained growth.</summary>
    public double MemoryGrowthMinR2 { get; init; } = 0.8;

    /// <summary>memory_growth: a process younger than this at the window's start is warming up (JIT, pools, caches): info at most.</summary>
    public double WarmupMinutes { get; init; } = 10;

    /// <summary>memory_growth: critical when the known limit would be reached within this many hours.</summary>
    public double MemoryLimitCriticalHours { get; init; } = 1;

    /// <summary>high_memory: share of a known limit at which it is a warning ...</summary>
    public double MemoryLimitRatio { get; init; } = 0.8;

    /// <summary>... and critical.</summary>
    public double MemoryLimitCriticalRatio { get; init; } = 0.9;

    /// <summary>high_memory without a known limit: bytes above which it is a warning (1 GiB).</summary>
    public double HighMemoryBytes { get; init; } = 1024.0 * 1024 * 1024;

    /// <summary>cpu_saturation: CPU use as a share of the cores (1 core when the count is unknown): warning ...</summary>
    public double CpuRatio { get; init; } = 0.8;

    /// <summary>... and critical.</summary>
    public double CpuCriticalRatio { get; init; } = 0.95;

    /// <summary>gc_pressure: share of time in GC pauses: warning ...</summary>
    public double GcTimeRatio { get; init; } = 0.1;

    /// <summary>... and critical.</summary>
    public double GcTimeCriticalRatio { get; init; } = 0.25;

    /// <summary>gc_pressure: oldest-generation (gen2, major) collections per second above this (0.2/s = 12 a minute) is a warning.</summary>
    public double OldGenCollectionsPerSecond { get; init; } = 0.2;
}
