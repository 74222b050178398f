using CommandLine;

namespace PerfTools.BottleneckDetector;

/// <summary>The detector's command line: the original script's three options and defaults, plus what to look at and
/// when to fail. Values are kept as typed; <see cref="OptionValidator"/> turns them into <see cref="DetectorSettings"/>.</summary>
public sealed class DetectorOptions
{
    [Option("prometheus-url", Default = "http://localhost:9090", HelpText = "Prometheus base URL (bearer token from PROMETHEUS_TOKEN).")]
    public string PrometheusUrl { get; set; } = "http://localhost:9090";

    [Option("jaeger-url", Default = "http://localhost:16686", HelpText = "Jaeger query base URL (bearer token from JAEGER_TOKEN).")]
    public string JaegerUrl { get; set; } = "http://localhost:16686";

    [Option("output", Default = "reports", HelpText = "Folder the reports are written to.")]
    public string Output { get; set; } = "reports";

    [Option("threshold-ms", Default = 500.0, HelpText = "An endpoint p95 or a trace above this many ms is slow.")]
    public double ThresholdMs { get; set; } = 500;

    [Option("at", HelpText = "Evaluate at this past instant: RFC 3339 (2026-11-25T12:00:00Z) or Unix seconds.")]
    public string? At { get; set; }

    [Option("window", Default = "5m", HelpText = "Rate window, a Prometheus duration: 30s, 5m, 1h, 1h30m.")]
    public string Window { get; set; } = "5m";

    [Option("service", HelpText = "Jaeger service to analyse (default: every service except Jaeger's own).")]
    public string? Service { get; set; }

    [Option("traces", Default = 20, HelpText = "How many of the slowest traces to analyse.")]
    public int Traces { get; set; } = 20;

    [Option("fail-on", Default = "critical", HelpText = "Exit 1 on findings of this severity or worse: info, warning, critical, none.")]
    public string FailOn { get; set; } = "critical";

    [Option("timeout", Default = 10.0, HelpText = "Seconds per request to Prometheus or Jaeger.")]
    public double Timeout { get; set; } = 10;

    [Option("baseline", HelpText = "An earlier run's bottleneck_findings_*.json, or a folder (its newest one): list the findings that are new, gone or remaining.")]
    public string? Baseline { get; set; }

    [Option("database-url", HelpText = "A PostgreSQL URL (postgres:// then USER[:PASSWORD]@HOST:PORT/DB) or a SQLite file: EXPLAIN the slowest SELECTs, read-only, to find missing indexes.")]
    public string? DatabaseUrl { get; set; }

    [Option("insecure", HelpText = "Accept any TLS certificate, e.g. a self-signed test server.")]
    public bool Insecure { get; set; }
}
