namespace PerfTools.Tests.Metrics;

/// <summary>The project's own small Prometheus fixtures under <c>Tests/testdata/prometheus/</c>.</summary>
internal static class PrometheusTestData
{
    public static string Read(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "prometheus", name));
}
