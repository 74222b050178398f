using PerfTools.Shared.Metrics;

namespace PerfTools.Tests.BottleneckDetector.Rules;

/// <summary>Which runtime a service runs on, told by discovery from the metric names of the scope, so that the detector's
/// heap and CPU advice names that runtime's tools.</summary>
public class RuntimeDetectionTests
{
    private static DiscoveredMetrics DiscoverNames(params string[] names) => MetricDiscovery.Discover(new MetricInventory(
        names.ToDictionary(n => n, IReadOnlySet<string> (_) => new HashSet<string>()), new Dictionary<string, string>()));

    private static readonly string[] Neutral = ["process_cpu_seconds_total", "process_resident_memory_bytes", "http_requests_total", "up"];

    [TestCase(TargetRuntime.DotNet, "dotnet_total_memory_bytes", "dotnet_collection_count_total", TestName = "Discover_PrometheusNet_DotNet")]
    [TestCase(TargetRuntime.DotNet, "dotnet_gc_collections_total", "dotnet_process_memory_working_set_bytes", TestName = "Discover_OpenTelemetryDotNet_DotNet")]
    [TestCase(TargetRuntime.DotNet, "process_runtime_dotnet_gc_collections_count_total", "process_runtime_dotnet_gc_heap_size_bytes", TestName = "Discover_OlderOpenTelemetryDotNet_DotNet")]
    [TestCase(TargetRuntime.Go, "go_goroutines", "go_memstats_heap_alloc_bytes", "go_gc_duration_seconds_count", TestName = "Discover_ClientGolang_Go")]
    [TestCase(TargetRuntime.Jvm, "jvm_memory_used_bytes", "jvm_gc_pause_seconds_count", "jvm_threads_live_threads", TestName = "Discover_Micrometer_Jvm")]
    [TestCase(TargetRuntime.Jvm, "process_runtime_jvm_memory_usage", TestName = "Discover_OpenTelemetryJava_Jvm")]
    [TestCase(TargetRuntime.Node, "nodejs_heap_size_used_bytes", "nodejs_eventloop_lag_seconds", TestName = "Discover_PromClient_Node")]
    [TestCase(TargetRuntime.Python, "python_gc_objects_collected_total", "python_info", TestName = "Discover_ClientPython_Python")]
    public void Discover_RuntimesOwnMetrics_TellTheRuntime(TargetRuntime expected, params string[] markers)
    {
        var found = DiscoverNames([.. Neutral, .. markers]);

        Assert.Multiple(() =>
        {
            Assert.That(found.Runtime, Is.EqualTo(expected));
            Assert.That(found.Runtimes.Single().Names, Is.EqualTo(markers.Order(StringComparer.Ordinal).Take(3)));
            Assert.That(found.Describe().Last(), Does.StartWith($"runtime: {expected.DisplayName()} ({markers.Order(StringComparer.Ordinal).First()}"));
        });
    }

    [Test]
    public void Discover_OnlyNeutralNames_RuntimeUnknownAndSaysAdviceNamesNoTool()
    {
        var found = DiscoverNames(Neutral);

        Assert.Multiple(() =>
        {
            Assert.That(found.Runtime, Is.EqualTo(TargetRuntime.Unknown));
            Assert.That(found.Runtimes, Is.Empty);
            Assert.That(found.Describe().Last(), Is.EqualTo("runtime: not found (no runtime's own metrics: advice names no heap or CPU tool)"));
        });
    }

    [Test]
    public void Discover_NothingAtAll_StillEqualsNone()
    {
        Assert.That(DiscoverNames("up"), Is.EqualTo(DiscoveredMetrics.None));
    }

    [Test]
    public void Discover_GoPrometheusBesideADotNetService_RuntimeUnknownBothListed()
    {
        // Prometheus scrapes itself by default: its go_* metrics sit beside the service's own.
        var found = DiscoverNames([.. Neutral, "go_goroutines", "prometheus_build_info", "dotnet_total_memory_bytes"]);

        Assert.Multiple(() =>
        {
            Assert.That(found.Runtime, Is.EqualTo(TargetRuntime.Unknown));
            Assert.That(found.Runtimes.Select(r => r.Runtime), Is.EqualTo(new[] { TargetRuntime.DotNet, TargetRuntime.Go }));
            Assert.That(found.Describe().Last(), Is.EqualTo("runtime: several, told apart per process: .NET (dotnet_total_memory_bytes); Go (go_goroutines)"));
        });
    }

    [TestCase("go_gopher_count")]
    [TestCase("python_requests_total")]
    [TestCase("godot_frames")]
    [TestCase("http_server_request_duration_seconds_bucket")]
    public void RuntimeOf_NamesOfNoRuntime_Null(string name)
    {
        Assert.That(MetricDiscovery.RuntimeOf(name), Is.Null);
    }

    [TestCase("aspnetcore_prometheus-net_8.2.1.prom", TargetRuntime.DotNet)]
    [TestCase("aspnetcore_otel_prometheus_exporter_1.20.1-beta.1.prom", TargetRuntime.DotNet)]
    [TestCase("express_prom-bundle_8.0.0.prom", TargetRuntime.Node)]
    [TestCase("prometheus_server_2015_scrape_summaries.prom", TargetRuntime.Go)]
    public void Discover_SharedExposition_TellsItsRuntime(string file, TargetRuntime expected)
    {
        string folder = Fakes.RepositoryRoot.RequireSharedFixtures("prometheus", "runtime conformance tests");

        var found = MetricDiscovery.Discover(PrometheusTextParser.Parse(File.ReadAllText(Path.Combine(folder, "metrics", file))));

        Assert.That(found.Runtime, Is.EqualTo(expected), string.Join("\n", found.Describe()));
    }
}
