using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Metrics;
using static PerfTools.Tests.BottleneckDetector.Rules.PromData;

namespace PerfTools.Tests.BottleneckDetector.Rules;

/// <summary>What Prometheus' answers reveal of the service: its base URL, its process ids and each process's runtime;
/// a label value that is not plainly one is not used.</summary>
public class TargetFactsTests
{
    private static readonly DiscoveredMetrics DotNet = DiscoveredMetrics.None with
    {
        Runtimes = [new RuntimeEvidence(TargetRuntime.DotNet, ["dotnet_total_memory_bytes"])],
    };

    private static TargetFacts From(
        PrometheusQueryResult? instances = null, PrometheusQueryResult? targetInfo = null, PrometheusQueryResult? markers = null, DiscoveredMetrics? discovered = null) =>
        TargetFacts.From(discovered ?? DotNet, instances ?? Vector(), targetInfo ?? Vector(), markers ?? Vector(), "http://jaeger.test:16686/");

    [Test]
    public void From_OneInstance_IsTheBaseUrl()
    {
        var facts = From(instances: Vector(Series(1, ("instance", "10.0.0.7:8080"))));

        Assert.Multiple(() =>
        {
            Assert.That(facts.BaseUrl, Is.EqualTo("http://10.0.0.7:8080"));
            Assert.That(facts.Runtime, Is.EqualTo(TargetRuntime.DotNet));
            Assert.That(facts.JaegerUrl, Is.EqualTo("http://jaeger.test:16686"));
        });
    }

    [TestCase("url_scheme")]
    [TestCase("http_scheme")]
    [TestCase("scheme")]
    public void From_SchemeLabelSaysHttps_BaseUrlIsHttps(string label)
    {
        var facts = From(instances: Vector(Series(1, ("instance", "api.example.com:443"), (label, "https"))));

        Assert.That(facts.BaseUrl, Is.EqualTo("https://api.example.com:443"));
    }

    [Test]
    public void From_TwoInstances_NoBaseUrlBothListed()
    {
        var facts = From(instances: Vector(Series(1, ("instance", "10.0.0.8:8080")), Series(1, ("instance", "10.0.0.7:8080"))));

        Assert.That(facts.BaseUrl, Is.Null);
        Assert.That(facts.BaseUrls, Is.EqualTo(new[] { "http://10.0.0.7:8080", "http://10.0.0.8:8080" }));
    }

    [TestCase("10.0.0.7:8080; rm -rf ~")]
    [TestCase("$(reboot):80")]
    [TestCase("host name:80")]
    [TestCase("")]
    public void From_InstanceThatIsNoHostPort_NotUsed(string instance)
    {
        var facts = From(instances: Vector(Series(1, ("instance", instance))), targetInfo: Vector(Series(1, ("instance", instance), ("process_pid", "42"))));

        Assert.That(facts.BaseUrls, Is.Empty);
        Assert.That(facts.PidByInstance, Is.Empty);
    }

    [Test]
    public void From_TargetInfo_GivesEachInstancesPidUnlessAmbiguous()
    {
        var facts = From(targetInfo: Vector(
            Series(1, ("job", "forum"), ("instance", "10.0.0.7:8080"), ("process_pid", "4242")),
            Series(1, ("job", "orders"), ("instance", "10.0.0.9:8080"), ("process_pid", "17")),
            Series(1, ("job", "orders"), ("instance", "10.0.0.9:8080"), ("process_pid", "18")),
            Series(1, ("job", "bad"), ("instance", "10.0.0.10:8080"), ("process_pid", "1; id"))));

        var process = facts.Process(Series(1, ("job", "forum"), ("instance", "10.0.0.7:8080")));
        Assert.Multiple(() =>
        {
            Assert.That(facts.PidByInstance, Is.EqualTo(new Dictionary<string, string> { ["10.0.0.7:8080"] = "4242" }), "a restart in the window names no pid; '1; id' is none");
            Assert.That(process, Is.EqualTo(new ProcessFacts("forum (10.0.0.7:8080)", TargetRuntime.DotNet, "10.0.0.7:8080", "4242")));
        });
    }

    [Test]
    public void Process_SeveralRuntimes_EachProcessGetsItsOwn()
    {
        var discovered = DiscoveredMetrics.None with
        {
            Runtimes = [new RuntimeEvidence(TargetRuntime.DotNet, ["dotnet_total_memory_bytes"]), new RuntimeEvidence(TargetRuntime.Go, ["go_goroutines"])],
        };
        var markers = Vector(
            Series(1, ("job", "forum"), ("instance", "10.0.0.7:8080"), ("__name__", "dotnet_total_memory_bytes")),
            Series(1, ("job", "prometheus"), ("instance", "localhost:9090"), ("__name__", "go_goroutines")));

        var facts = From(markers: markers, discovered: discovered);

        Assert.Multiple(() =>
        {
            Assert.That(facts.Runtime, Is.EqualTo(TargetRuntime.Unknown));
            Assert.That(facts.Process(Series(1, ("job", "forum"), ("instance", "10.0.0.7:8080"))).Runtime, Is.EqualTo(TargetRuntime.DotNet));
            Assert.That(facts.Process(Series(1, ("job", "prometheus"), ("instance", "localhost:9090"))).Runtime, Is.EqualTo(TargetRuntime.Go));
            Assert.That(facts.Process(Series(1, ("job", "rust-app"), ("instance", "10.0.0.9:9000"))).Runtime, Is.EqualTo(TargetRuntime.Unknown),
                "a process exporting no runtime's metrics gets no runtime's advice");
        });
    }

    [Test]
    public void Process_NoJobNoInstance_IsTheServiceOfTheScopesRuntime()
    {
        var process = From().Process(Series(1));

        Assert.That(process, Is.EqualTo(new ProcessFacts("service", TargetRuntime.DotNet, null, null)));
    }
}
