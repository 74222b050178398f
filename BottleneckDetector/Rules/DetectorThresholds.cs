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

    /// <summary>memory_growth in a process younger than <see cref="WarmupMinutes"/>: still a warning (a likely leak) when the
    /// fit is at least this good (R²) ...</summary>
    public double YoungLeakMinR2 { get; init; } = 0.9;

    /// <summary>... the last third of the window still grows at least at this share of the overall slope (no levelling off:
    /// warm-up alone leaves the last third near 0 %, a steady leak after a warm-up keeps well over half) ...</summary>
    public double YoungLeakLastThirdShare { get; init; } = 0.5;

    /// <summary>... and the window spans at least this many minutes: in its first seconds a runtime's warm-up (JIT, the GC
    /// committing its heap) is itself a straight line, and whether it levels off cannot be seen yet.</summary>
    public double YoungLeakMinWindowMinutes { get; init; } = 1;

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

    /// <summary>connection_pool: requests waiting for a connection in at least this share of the window's samples is
    /// sustained waiting (warning) ...</summary>
    public double PoolWaitShare { get; init; } = 0.5;

    /// <summary>... so is a mean of at least <see cref="PoolMeanWaiting"/> waiters while waiters were there in at least this
    /// share of the samples (a queue, not one scrape's blip) ...</summary>
    public double PoolWaitMinShare { get; init; } = 0.25;

    /// <summary>... the mean number of waiters over the window for that second case.</summary>
    public double PoolMeanWaiting { get; init; } = 1;

    /// <summary>connection_pool: waiters in at least this share of the samples is critical (queued nearly all the time).</summary>
    public double PoolWaitCriticalShare { get; init; } = 0.9;

    /// <summary>connection_pool: this many requests that gave up waiting for a connection in the window is a warning ...</summary>
    public double PoolTimeouts { get; init; } = 1;

    /// <summary>... and this many critical.</summary>
    public double PoolCriticalTimeouts { get; init; } = 10;

    /// <summary>connection_pool: connections in use over the maximum, averaged over the window, at least this is a warning
    /// (a pool at its limit; never critical by itself, only with waiters or timeouts).</summary>
    public double PoolUsageRatio { get; init; } = 0.8;

    /// <summary>connection_pool: a mean wait for a connection (from a wait-time histogram) of at least this many ms is a warning ...</summary>
    public double PoolWaitMs { get; init; } = 100;

    /// <summary>... and of at least this many critical.</summary>
    public double PoolCriticalWaitMs { get; init; } = 1000;

    /// <summary>missing_index from table statistics: a table with at least this many live rows (PgHero's rule) ...</summary>
    public double MissingIndexMinRows { get; init; } = 10_000;

    /// <summary>... whose scans in the window were less than this share index scans (PgHero: 95 %) ...</summary>
    public double MissingIndexIndexScanShare { get; init; } = 0.95;

    /// <summary>missing_index from EXPLAIN: a sequential scan with a filter on a table of at least this many rows.</summary>
    public double MissingIndexMinPlanRows { get; init; } = 500;

    /// <summary>missing_index: with hypopg, the hypothetical index must cut the plan's total cost by at least this share (Dexter's rule).</summary>
    public double MissingIndexMinCostCut { get; init; } = 0.5;

    /// <summary>missing_index: a table of at least this many rows read by sequential scans is critical.</summary>
    public double MissingIndexCriticalRows { get; init; } = 1_000_000;
}
