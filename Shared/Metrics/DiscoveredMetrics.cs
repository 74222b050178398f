using System.Globalization;

namespace PerfTools.Shared.Metrics;

/// <summary>Which metrics a service exports for each thing the detector judges; null where none was found.</summary>
/// <param name="Latency">HTTP server latency.</param>
/// <param name="Requests">HTTP request counter: the latency family's <c>_count</c> where it has the labels, else a separate counter.</param>
/// <param name="DbQueries">Counter of DB queries.</param>
/// <param name="DbDuration">DB query duration.</param>
/// <param name="ProcessMemory">Gauge of process memory in bytes (working set / RSS).</param>
/// <param name="HeapMemory">PromQL selector of managed heap bytes (may carry a label matcher: <c>jvm_memory_used_bytes{area="heap"}</c>).</param>
/// <param name="MemoryLimit">Gauge of a memory limit in bytes (container limit).</param>
/// <param name="ProcessStartTime">Gauge of the process start, Unix seconds.</param>
/// <param name="CpuSeconds">Counter of process CPU seconds.</param>
/// <param name="CpuCount">Gauge of cores available to the process.</param>
public sealed record DiscoveredMetrics(
    LatencyMetric? Latency,
    CounterMetric? Requests,
    CounterMetric? DbQueries,
    LatencyMetric? DbDuration,
    string? ProcessMemory,
    string? HeapMemory,
    string? MemoryLimit,
    string? ProcessStartTime,
    string? CpuSeconds,
    string? CpuCount,
    GcMetrics Gc)
{
    public static DiscoveredMetrics None { get; } = new(null, null, null, null, null, null, null, null, null, null, GcMetrics.None);

    /// <summary>Every runtime whose metrics are present, with the names that show it; more than one when a scope holds
    /// several programs (a Go Prometheus scraping itself beside a .NET service). Empty when none is recognised.</summary>
    public IReadOnlyList<RuntimeEvidence> Runtimes { get; init; } = [];

    /// <summary>Every connection-pool instrumentation found (a service may run several pools, or libraries); empty when none.</summary>
    public IReadOnlyList<PoolMetrics> Pools { get; init; } = [];

    /// <summary>postgres_exporter's per-table statistics; null when not exported.</summary>
    public TableStatsMetrics? TableStats { get; init; }

    /// <summary>Some postgres_exporter metric (<c>pg_*</c>) is there, whether or not it has the table statistics.</summary>
    public bool PostgresExporter { get; init; }

    /// <summary>The one runtime the metrics reveal; <see cref="TargetRuntime.Unknown"/> when none or several.</summary>
    public TargetRuntime Runtime => Runtimes.Count == 1 ? Runtimes[0].Runtime : TargetRuntime.Unknown;

    /// <summary>One line per role, found or not, e.g. <c>latency: http_request_duration_seconds by endpoint</c>.</summary>
    public IReadOnlyList<string> Describe()
    {
        var lines = new List<string>
        {
            "latency: " + DescribeLatency(Latency, "no HTTP server duration histogram or summary; slow_endpoint skipped"),
            "requests: " + DescribeCounter(Requests, "error_rate and queries per request skipped"),
            "db queries: " + DescribeCounter(DbQueries, "high_db_usage and n_plus_one skipped"),
            "db query duration: " + DescribeLatency(DbDuration, null),
            "process memory: " + (ProcessMemory ?? "not found (memory_growth and high_memory use the heap, if any)"),
            "heap memory: " + (HeapMemory ?? "not found"),
            "memory limit: " + (MemoryLimit ?? "not found (high_memory compares with an absolute threshold; no time-to-limit)"),
            "process start: " + (ProcessStartTime ?? "not found (warm-up judged from the shape of the memory curve only)"),
        };

        lines.Add("cpu: " + (CpuSeconds == null
            ? "not found (cpu_saturation skipped)"
            : CpuCount == null
                ? $"{CpuSeconds} vs 1 core (core count not exported)"
                : $"{CpuSeconds} vs cores from {CpuCount}"));
        lines.Add("gc collections: " + (Gc.Collections == null
            ? "not found"
            : Gc.GenerationLabel == null
                ? Gc.Collections
                : $"{Gc.Collections} (oldest generation: {Gc.GenerationLabel}=\"{Gc.OldGeneration}\")"));
        lines.Add("gc time: " + (Gc.PauseSeconds ?? "not found"));
        lines.AddRange(Pools.Count == 0
            ? ["connection pool: not found (no db_client_connection(s)_*, hikaricp_connections_* or go_sql_* metrics; connection_pool reads traces only)"]
            : Pools.Select(p => "connection pool: " + p.Describe()));
        lines.Add("table statistics: " + (TableStats is { } tables
            ? $"{tables.SeqScan}, {tables.IdxScan}, {tables.LiveRows} by {string.Join(", ", tables.TableLabels)}"
            : PostgresExporter
                ? $"not found (postgres_exporter answers but exports no pg_stat_user_tables_*: start it with {TableStatsMetrics.ExporterQueriesFlag})"
                : "not found (no postgres_exporter metrics; missing_index needs them, or --database-url)"));
        lines.Add("runtime: " + (Runtimes.Count switch
        {
            0 => "not found (no runtime's own metrics: advice names no heap or CPU tool)",
            1 => $"{Runtimes[0].Runtime.DisplayName()} ({string.Join(", ", Runtimes[0].Names)})",
            _ => "several, told apart per process: " + string.Join("; ", Runtimes.Select(r => $"{r.Runtime.DisplayName()} ({string.Join(", ", r.Names)})")),
        }));
        return lines;
    }

    private static string DescribeLatency(LatencyMetric? metric, string? missing)
    {
        if (metric == null)
        {
            return missing == null ? "not found" : "not found (" + missing + ")";
        }

        var text = metric.RouteLabel == null ? metric.Name + " (no route label: judged for the whole service)" : $"{metric.Name} by {metric.RouteLabel}";
        var labels = string.Join(", ", new[] { ("method", metric.MethodLabel), ("status", metric.StatusLabel) }
            .Where(l => l.Item2 != null)
            .Select(l => $"{l.Item1} {l.Item2}"));
        var unit = metric.Unit == "seconds" ? "" : $", in {metric.Unit}";
        var kind = metric.Kind == LatencyKind.Histogram
            ? "histogram"
            : "no buckets: judged by the mean _sum/_count" + (metric.HasMax ? " and _max" : "");
        return $"{text} ({kind}{unit}{(labels.Length > 0 ? "; " + labels : "")})";
    }

    private static string DescribeCounter(CounterMetric? metric, string missing)
    {
        if (metric == null)
        {
            return "not found (" + missing + ")";
        }

        var text = metric.RouteLabel == null ? metric.Name + " (no route label)" : $"{metric.Name} by {metric.RouteLabel}";
        return metric.StatusLabel == null ? text : string.Create(CultureInfo.InvariantCulture, $"{text}, status {metric.StatusLabel}");
    }
}

/// <summary>The runtime a service runs on, as its metric names reveal it; the detector fits its heap and CPU advice to it.</summary>
public enum TargetRuntime
{
    /// <summary>No runtime's own metrics, or several: advice names no tool.</summary>
    Unknown,
    DotNet,
    Go,
    Jvm,
    Node,
    Python,
}

/// <summary>A runtime seen in a scope and the first few metric names that show it (for the reader, and to find which
/// process exports them).</summary>
public sealed record RuntimeEvidence(TargetRuntime Runtime, IReadOnlyList<string> Names)
{
    // By value: a record compares a list by reference.
    public bool Equals(RuntimeEvidence? other) =>
        other is not null && Runtime == other.Runtime && Names.SequenceEqual(other.Names, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Runtime, Names.Count);
}

/// <summary>How <see cref="TargetRuntime"/> values are named for a reader.</summary>
public static class TargetRuntimeNames
{
    public static string DisplayName(this TargetRuntime runtime) => runtime switch
    {
        TargetRuntime.DotNet => ".NET",
        TargetRuntime.Go => "Go",
        TargetRuntime.Jvm => "JVM",
        TargetRuntime.Node => "Node.js",
        TargetRuntime.Python => "Python",
        _ => "unknown",
    };
}
