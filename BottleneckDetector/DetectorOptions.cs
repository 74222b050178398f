using CommandLine;

namespace PerfTools.BottleneckDetector;

/// <summary>The detector's command line; option names and defaults are the original script's.</summary>
public sealed class DetectorOptions
{
    [Option("prometheus-url", Default = "http://localhost:9090", HelpText = "Prometheus base URL.")]
    public string PrometheusUrl { get; set; } = "http://localhost:9090";

    [Option("jaeger-url", Default = "http://localhost:16686", HelpText = "Jaeger query base URL.")]
    public string JaegerUrl { get; set; } = "http://localhost:16686";

    [Option("output", Default = "reports", HelpText = "Folder the reports are written to.")]
    public string Output { get; set; } = "reports";
}
