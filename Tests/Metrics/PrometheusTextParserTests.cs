using PerfTools.Shared.Metrics;

namespace PerfTools.Tests.Metrics;

public class PrometheusTextParserTests
{
    [Test]
    public void Parse_ExpositionWithBracesInLabelValues_KeepsNamesLabelsAndTypes()
    {
        const string text = """
            # HELP http_request_duration_seconds Request duration.
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{endpoint="api/orders/{id:int}",code="200",le="0.5"} 3
            http_request_duration_seconds_bucket{endpoint="a \"quoted\", {odd} one",method="GET",le="+Inf"} 4 1795000000000
            process_cpu_seconds_total 1.5

            # EOF
            """;

        var inventory = PrometheusTextParser.Parse(text);

        Assert.That(inventory.LabelNames.Keys, Is.EquivalentTo(new[] { "http_request_duration_seconds_bucket", "process_cpu_seconds_total" }));
        Assert.That(inventory.LabelsOf("http_request_duration_seconds_bucket"), Is.EquivalentTo(new[] { "endpoint", "code", "le", "method" }));
        Assert.That(inventory.LabelsOf("process_cpu_seconds_total"), Is.Empty);
        Assert.That(inventory.Types["http_request_duration_seconds"], Is.EqualTo("histogram"));
    }

    [Test]
    public void TypeOf_OpenMetricsCounterFamily_IsFoundUnderEitherSpelling()
    {
        var inventory = new MetricInventory(
            new Dictionary<string, IReadOnlySet<string>>(),
            new Dictionary<string, string> { ["dotnet_collection_count"] = "counter", ["a_total"] = "counter" });

        Assert.That(inventory.TypeOf("dotnet_collection_count_total"), Is.EqualTo("counter"));
        Assert.That(inventory.TypeOf("a"), Is.EqualTo("counter"));
        Assert.That(inventory.TypeOf("b"), Is.Null);
    }
}
