using System.Text.RegularExpressions;

namespace PerfTools.Shared.Metrics;

/// <summary>Finds, among the naming conventions in use, which exported metrics hold latency, requests, DB queries, memory, CPU and GC.</summary>
/// <remarks>
/// <see cref="Discover"/> is a pure function of a <see cref="MetricInventory"/>, which comes from Prometheus
/// (<see cref="LoadInventoryAsync"/>) or from a <c>/metrics</c> text (<see cref="PrometheusTextParser"/>).
/// Conventions: OpenTelemetry <c>http_server_request_duration_seconds{http_route,http_response_status_code}</c>,
/// prometheus-net <c>http_request_duration_seconds{endpoint,code}</c>, Go/express <c>http_request_duration_seconds{handler|path,code|status_code}</c>,
/// Micrometer <c>http_server_requests_seconds{uri,status}</c>, actix-web-prom <c>*_http_requests_duration_seconds{endpoint,status}</c>,
/// Django <c>django_http_requests_latency_seconds_by_view_method{view,method}</c>; unit suffixes seconds, milliseconds, microseconds.
/// </remarks>
public static partial class MetricDiscovery
{
    // preference among label names, most specific first
    private static readonly string[] RouteLabels = ["http_route", "route", "endpoint", "handler", "path", "uri", "view", "url_path"];
    private static readonly string[] MethodLabels = ["http_request_method", "method", "http_method"];
    private static readonly string[] StatusLabels = ["http_response_status_code", "status_code", "code", "status", "http_status_code", "http_status"];

    // preferred HTTP latency families when several match; others rank after these, alphabetically
    private static readonly string[] PreferredLatency = ["http_server_request_duration_seconds", "http_request_duration_seconds", "http_server_requests_seconds"];

    private static readonly string[] ProcessMemoryNames =
        ["process_working_set_bytes", "dotnet_process_memory_working_set_bytes", "process_resident_memory_bytes", "process_private_memory_bytes", "container_memory_working_set_bytes"];

    private static readonly (string Name, string Selector)[] HeapMemoryNames =
    [
        ("dotnet_total_memory_bytes", "dotnet_total_memory_bytes"),
        ("dotnet_gc_last_collection_heap_size_bytes", "dotnet_gc_last_collection_heap_size_bytes"),
        ("nodejs_heap_size_used_bytes", "nodejs_heap_size_used_bytes"),
        ("go_memstats_heap_alloc_bytes", "go_memstats_heap_alloc_bytes"),
        ("jvm_memory_used_bytes", "jvm_memory_used_bytes{area=\"heap\"}"),
        ("process_heap_bytes", "process_heap_bytes"),
    ];

    private static readonly string[] CpuSecondsNames = ["process_cpu_seconds_total", "dotnet_process_cpu_time_seconds_total", "process_cpu_time_seconds_total"];
    private static readonly string[] CpuCountNames = ["dotnet_process_cpu_count", "system_runtime_dotnet_process_cpu_count", "process_cpu_count", "system_cpu_count", "machine_cpu_cores"];

    private static readonly (string Name, string? Label, string? Old)[] GcCollectionNames =
    [
        ("dotnet_gc_collections_total", "gc_heap_generation", "gen2"),
        ("dotnet_collection_count_total", "generation", "2"),
        ("jvm_gc_pause_seconds_count", null, null),
        ("nodejs_gc_duration_seconds_count", "kind", "major"),
        ("go_gc_duration_seconds_count", null, null),
    ];

    private static readonly string[] GcPauseNames =
        ["dotnet_gc_pause_time_seconds_total", "jvm_gc_pause_seconds_sum", "nodejs_gc_duration_seconds_sum", "go_gc_duration_seconds_sum"];

    // Names only a runtime's own instrumentation exports (client libraries' default collectors, OpenTelemetry runtime
    // metrics, framework meters); a name of none of them (process_*, http_*) says nothing about the runtime.
    private static readonly (TargetRuntime Runtime, string[] Exact, string[] Prefixes)[] RuntimeMarkers =
    [
        // prometheus-net: dotnet_total_memory_bytes, dotnet_collection_count_total; OpenTelemetry .NET: dotnet_gc_*,
        // dotnet_process_*, older process_runtime_dotnet_*; ASP.NET Core's own meters: kestrel_*, aspnetcore_*
        (TargetRuntime.DotNet, [], ["dotnet_", "process_runtime_dotnet_", "prometheus_net_", "kestrel_", "aspnetcore_"]),
        // client_golang: go_goroutines, go_memstats_*, go_gc_duration_seconds; OpenTelemetry Go: go_memory_*, go_goroutine_*
        (TargetRuntime.Go, ["go_goroutines", "go_threads", "go_info"],
            ["go_memstats_", "go_gc_", "go_sched_", "go_memory_", "go_goroutine_", "go_config_", "go_processor_", "process_runtime_go_"]),
        // Micrometer and client_java: jvm_memory_used_bytes, jvm_gc_*, jvm_threads_*; OpenTelemetry Java: process_runtime_jvm_*
        (TargetRuntime.Jvm, [], ["jvm_", "process_runtime_jvm_"]),
        // prom-client: nodejs_heap_size_used_bytes, nodejs_eventloop_lag_seconds; OpenTelemetry JS: v8js_*, nodejs_eventloop_*
        (TargetRuntime.Node, [], ["nodejs_", "v8js_", "process_runtime_nodejs_"]),
        // client_python: python_info, python_gc_objects_collected_total; OpenTelemetry Python: process_runtime_cpython_*, cpython_*
        (TargetRuntime.Python, ["python_info"], ["python_gc_", "process_runtime_cpython_", "cpython_"]),
    ];

    /// <summary>How many names a <see cref="RuntimeEvidence"/> keeps: enough to show it, few enough for one line and one query.</summary>
    private const int RuntimeEvidenceNames = 3;

    /// <summary>The runtime <paramref name="name"/> belongs to, or null for a name any program may export.</summary>
    public static TargetRuntime? RuntimeOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (runtime, exact, prefixes) in RuntimeMarkers)
        {
            if (exact.Contains(name, StringComparer.Ordinal) || prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
            {
                return runtime;
            }
        }

        return null;
    }

    /// <summary>Every runtime whose marker names are among <paramref name="names"/>, in the order of
    /// <see cref="TargetRuntime"/>, each with its first few names in ordinal order.</summary>
    public static IReadOnlyList<RuntimeEvidence> Runtimes(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names
            .Select(n => (Name: n, Runtime: RuntimeOf(n)))
            .Where(n => n.Runtime is not null)
            .GroupBy(n => n.Runtime!.Value)
            .OrderBy(g => g.Key)
            .Select(g => new RuntimeEvidence(
                g.Key, g.Select(n => n.Name).Distinct().Order(StringComparer.Ordinal).Take(RuntimeEvidenceNames).ToList()))
            .ToList();
    }

    /// <summary>Picks one metric per role from what the inventory holds.</summary>
    public static DiscoveredMetrics Discover(MetricInventory inventory)
    {
        var families = Families(inventory);
        var latency = PickLatency(families, inventory, HttpLatencyPattern(), RouteLabels);
        var dbDuration = PickLatency(families, inventory, DbDurationPattern(), ["route", "http_route", "endpoint", .. RouteLabels]);

        var requests = latency is { StatusLabel: not null } && inventory.Has(latency.Count)
            ? new CounterMetric(latency.Count, latency.RouteLabel, latency.MethodLabel, latency.StatusLabel)
            : PickCounter(inventory, HttpCounterPattern(), RouteLabels)
              ?? (latency != null && inventory.Has(latency.Count) ? new CounterMetric(latency.Count, latency.RouteLabel, latency.MethodLabel, latency.StatusLabel) : null);

        var dbQueries = PickCounter(inventory, DbCounterPattern(), ["route", "http_route", "endpoint", .. RouteLabels])
            ?? (dbDuration != null && inventory.Has(dbDuration.Count) ? new CounterMetric(dbDuration.Count, dbDuration.RouteLabel, null, null) : null);

        var heap = HeapMemoryNames.FirstOrDefault(h => inventory.Has(h.Name)).Selector;
        var limit = inventory.Has("container_spec_memory_limit_bytes")
            ? "container_spec_memory_limit_bytes"
            : inventory.LabelNames.Keys.FirstOrDefault(n => n.EndsWith("memory_limit_bytes", StringComparison.Ordinal));
        var gc = GcCollectionNames.FirstOrDefault(g => inventory.Has(g.Name));
        var runtimes = Runtimes(inventory.LabelNames.Keys);
        var pools = PoolDiscovery.Discover(inventory);
        var tables = TableStats(inventory);
        bool postgresExporter = inventory.LabelNames.Keys.Any(n => n.StartsWith("pg_", StringComparison.Ordinal));

        var discovered = new DiscoveredMetrics(
            latency,
            requests,
            dbQueries,
            dbDuration,
            First(inventory, ProcessMemoryNames),
            heap,
            limit,
            inventory.Has("process_start_time_seconds") ? "process_start_time_seconds" : null,
            First(inventory, CpuSecondsNames),
            First(inventory, CpuCountNames),
            new GcMetrics(gc.Name, gc.Label, gc.Old, First(inventory, GcPauseNames)));
        // Left at their shared empty defaults when there is none, so a discovery of nothing equals DiscoveredMetrics.None.
        if (runtimes.Count > 0)
        {
            discovered = discovered with { Runtimes = runtimes };
        }

        if (pools.Count > 0)
        {
            discovered = discovered with { Pools = pools };
        }

        return tables is null && !postgresExporter ? discovered : discovered with { TableStats = tables, PostgresExporter = postgresExporter };
    }

    /// <summary>Names whose label names discovery needs: the candidates for latency, request and DB metrics.</summary>
    public static IReadOnlyList<string> NamesNeedingLabels(IEnumerable<string> names) =>
        names.Where(n =>
        {
            var family = FamilyOf(n).Family;
            return HttpLatencyPattern().IsMatch(family) || DbDurationPattern().IsMatch(family)
                || HttpCounterPattern().IsMatch(n) || DbCounterPattern().IsMatch(n)
                || PoolDiscovery.IsCandidate(n) || n == TableStatsPrefix + "seq_scan";
        }).ToList();

    /// <summary>
    /// Builds the inventory from Prometheus: every name present in [at − lookback, at], the label names of the candidate
    /// names (<c>/api/v1/labels?match[]=&lt;name&gt;</c>, whose answer does not grow with the series count), and
    /// <c>/api/v1/metadata</c> types where the server has them. <paramref name="scope"/> (label matchers such as
    /// <c>job="forum"</c>) limits all of it to one service.
    /// </summary>
    /// <remarks>A server that ignores <c>match[]</c> on <c>/api/v1/labels</c> (Prometheus before 2.24) would give every
    /// candidate every label name it holds; one request for a name no series has tells it apart (it answers names where
    /// the others answer none), and such a server is asked <c>/api/v1/series</c> instead: the union over at most
    /// <paramref name="seriesLimit"/> series each, a limit servers before 2.51 ignore, so there the answer is every
    /// series of the name.</remarks>
    public static async Task<MetricInventory> LoadInventoryAsync(
        PrometheusClient client, DateTimeOffset at, TimeSpan lookback, string? scope = null, int seriesLimit = 200, CancellationToken ct = default)
    {
        var start = at - lookback;
        var scoped = string.IsNullOrEmpty(scope) ? null : scope;
        var names = (await client.MetricNamesAsync(start, at, scoped == null ? null : "{" + scoped + "}", ct).ConfigureAwait(false)).Data;
        var labels = names.ToDictionary(n => n, IReadOnlySet<string> (_) => new HashSet<string>(), StringComparer.Ordinal);
        var candidates = NamesNeedingLabels(names);
        bool labelsMatch = candidates.Count > 0 && await LabelsHonourMatchAsync(client, start, at, ct).ConfigureAwait(false);
        foreach (var name in candidates)
        {
            var match = scoped == null ? name : $"{name}{{{scoped}}}";
            IEnumerable<string> found = labelsMatch
                ? (await client.LabelNamesAsync(start, at, match, ct).ConfigureAwait(false)).Data
                : (await client.SeriesAsync(match, start, at, seriesLimit, ct).ConfigureAwait(false)).Data.SelectMany(s => s.Keys);
            labels[name] = found.Where(k => k != "__name__").ToHashSet(StringComparer.Ordinal);
        }

        IReadOnlyDictionary<string, string> types;
        try
        {
            types = (await client.MetadataAsync(ct).ConfigureAwait(false)).Data;
        }
        catch (PrometheusException e) when (e.Kind is not PrometheusErrorKind.Connection)
        {
            // metadata is a help, not a need: some Prometheus-compatible servers do not serve it
            types = new Dictionary<string, string>();
        }

        return new MetricInventory(labels, types);
    }

    /// <summary>The selector of <see cref="LabelsHonourMatchAsync"/>: a name no exporter uses, so no series matches it.</summary>
    internal const string NoSeriesSelector = "{__name__=\"perftools_discovery_no_such_metric\"}";

    /// <summary>Whether <c>/api/v1/labels</c> filters by <c>match[]</c>: it answers no label name for a selector no series
    /// matches. A server that refuses the request (a proxy allowing only some paths) is asked the older way too.</summary>
    private static async Task<bool> LabelsHonourMatchAsync(PrometheusClient client, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        try
        {
            return (await client.LabelNamesAsync(start, end, NoSeriesSelector, ct).ConfigureAwait(false)).Data.Count == 0;
        }
        catch (PrometheusException e) when (e.Kind is not PrometheusErrorKind.Connection)
        {
            return false;
        }
    }

    private sealed record Family(string Name, bool HasBucket, bool HasCount, bool HasSum, bool HasMax, bool HasQuantile, HashSet<string> Labels);

    private static (string Family, string Suffix) FamilyOf(string name)
    {
        foreach (var suffix in (string[])["_bucket", "_count", "_sum", "_max"])
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return (name[..^suffix.Length], suffix);
            }
        }

        return (name, "");
    }

    private static Dictionary<string, Family> Families(MetricInventory inventory)
    {
        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        foreach (var (name, labels) in inventory.LabelNames)
        {
            var (familyName, suffix) = FamilyOf(name);
            if (!families.TryGetValue(familyName, out var family))
            {
                family = new Family(familyName, false, false, false, false, false, new HashSet<string>(StringComparer.Ordinal));
            }

            family = suffix switch
            {
                "_bucket" => family with { HasBucket = true },
                "_count" => family with { HasCount = true },
                "_sum" => family with { HasSum = true },
                "_max" => family with { HasMax = true },
                _ => family with { HasQuantile = family.HasQuantile || labels.Contains("quantile") },
            };
            if (suffix != "_max")
            {
                family.Labels.UnionWith(labels.Where(l => l is not ("le" or "quantile")));
            }

            families[familyName] = family;
        }

        return families;
    }

    private static LatencyMetric? PickLatency(Dictionary<string, Family> families, MetricInventory inventory, Regex pattern, string[] routeLabels)
    {
        var best = families.Values
            .Select(f => (Family: f, Match: pattern.Match(f.Name)))
            .Where(c => c.Match.Success && c.Family.HasCount && c.Family.HasSum && inventory.TypeOf(c.Family.Name) is null or "histogram" or "summary" or "untyped" or "unknown")
            .Select(c => (c.Family, c.Match, Route: routeLabels.FirstOrDefault(c.Family.Labels.Contains)))
            .OrderBy(c => c.Route == null ? 1 : 0)
            .ThenBy(c => c.Match.Groups["prefix"].Length == 0 ? 0 : 1) // a prefixed family may be another program's (prometheus_http_...)
            .ThenBy(c => c.Family.HasBucket ? 0 : 1)
            .ThenBy(c => Array.IndexOf(PreferredLatency, c.Family.Name) is var i && i >= 0 ? i : PreferredLatency.Length)
            .ThenBy(c => c.Family.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (best.Family == null)
        {
            return null;
        }

        var (unit, secondsPerUnit) = best.Match.Groups["unit"].Value switch
        {
            "milliseconds" or "ms" => ("milliseconds", 0.001),
            "microseconds" => ("microseconds", 1e-6),
            _ => ("seconds", 1.0),
        };
        var labels = best.Family.Labels;
        return new LatencyMetric(
            best.Family.Name,
            best.Family.HasBucket ? LatencyKind.Histogram : LatencyKind.MeanOnly,
            unit,
            secondsPerUnit,
            best.Route,
            MethodLabels.FirstOrDefault(labels.Contains),
            StatusLabels.FirstOrDefault(labels.Contains),
            best.Family.HasMax);
    }

    private static CounterMetric? PickCounter(MetricInventory inventory, Regex pattern, string[] routeLabels)
    {
        var best = inventory.LabelNames
            .Where(n => pattern.IsMatch(n.Key))
            .OrderBy(n => routeLabels.Any(n.Value.Contains) ? 0 : 1)
            .ThenBy(n => n.Key.Length)
            .ThenBy(n => n.Key, StringComparer.Ordinal)
            .Select(n => (KeyValuePair<string, IReadOnlySet<string>>?)n)
            .FirstOrDefault();
        if (best is not { } found)
        {
            return null;
        }

        return new CounterMetric(
            found.Key,
            routeLabels.FirstOrDefault(found.Value.Contains),
            MethodLabels.FirstOrDefault(found.Value.Contains),
            StatusLabels.FirstOrDefault(found.Value.Contains));
    }

    private static string? First(MetricInventory inventory, string[] names) => names.FirstOrDefault(inventory.Has);

    private const string TableStatsPrefix = "pg_stat_user_tables_";

    // The labels postgres_exporter puts on pg_stat_user_tables: the database, schema and table, and the server when it
    // scrapes several (exporter 0.11 with the Debian example queries file; 0.13+ built in).
    private static readonly string[] TableLabels = ["server", "datname", "schemaname", "relname"];

    /// <summary>postgres_exporter's table statistics, when it exports the three series missing_index needs.</summary>
    private static TableStatsMetrics? TableStats(MetricInventory inventory)
    {
        string seq = TableStatsPrefix + "seq_scan", idx = TableStatsPrefix + "idx_scan", live = TableStatsPrefix + "n_live_tup";
        if (!inventory.Has(seq) || !inventory.Has(idx) || !inventory.Has(live))
        {
            return null;
        }

        var labels = inventory.LabelsOf(seq);
        // Without label names (a bare inventory) the exporter's own are assumed: they are the same in every version.
        var present = TableLabels.Where(l => labels.Count == 0 ? l != "server" : labels.Contains(l)).ToList();
        return present.Contains("relname") ? new TableStatsMetrics(seq, idx, live, present) : null;
    }

    // http_server_request_duration_seconds, http_request_duration_seconds, http_server_requests_seconds,
    // myapp_http_requests_duration_seconds, django_http_requests_latency_seconds_by_view_method, http_request_duration_microseconds
    [GeneratedRegex(@"^(?<prefix>[a-z0-9_]*?_)?http_(server_)?requests?(_(duration|latency))?_(?<unit>seconds|milliseconds|microseconds|ms)(_by_view_method|_by_view)?$")]
    private static partial Regex HttpLatencyPattern();

    // http_requests_received_total (prometheus-net), http_requests_total (Go), http_server_requests_total
    [GeneratedRegex(@"^(?<prefix>[a-z0-9_]*?_)?http_(server_)?requests(_received)?_total$")]
    private static partial Regex HttpCounterPattern();

    // forum_db_queries_total, db_client_operations_total, sql_queries_total
    [GeneratedRegex(@"^(?<prefix>[a-z0-9_]*?_)?(db|database|sql)_(client_)?(queries|query|operations?|commands?|statements?)(_executed)?_total$")]
    private static partial Regex DbCounterPattern();

    // forum_db_query_duration_seconds, db_client_operation_duration_seconds
    [GeneratedRegex(@"^(?<prefix>[a-z0-9_]*?_)?(db|database|sql)_(client_)?(query|queries|operation|command|statement)_duration_(?<unit>seconds|milliseconds|microseconds|ms)$")]
    private static partial Regex DbDurationPattern();
}
