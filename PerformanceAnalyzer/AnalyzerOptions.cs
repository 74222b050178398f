using CommandLine;

namespace PerfTools.PerformanceAnalyzer;

/// <summary>The analyzer's command line: the original script's options and defaults, plus load and gate options.</summary>
public sealed class AnalyzerOptions
{
    [Option("base-url", Default = "http://localhost:8080", HelpText = "Base URL of the API to measure.")]
    public string BaseUrl { get; set; } = "http://localhost:8080";

    [Option("jaeger-url", Default = "http://localhost:16686", HelpText = "Jaeger query URL, to explain the slowest requests.")]
    public string JaegerUrl { get; set; } = "http://localhost:16686";

    [Option("test-all", HelpText = "Walk the Forum API: health, boards, posts, comments and /slow.")]
    public bool TestAll { get; set; }

    [Option("endpoint", HelpText = "One path to measure, e.g. /boards (used when --test-all is not given).")]
    public string? Endpoint { get; set; }

    [Option("method", Default = "GET", HelpText = "HTTP method for --endpoint.")]
    public string Method { get; set; } = "GET";

    [Option("iterations", Default = 10, HelpText = "Measured requests per endpoint.")]
    public int Iterations { get; set; } = 10;

    [Option("output", Default = "reports", HelpText = "Folder the reports are written to.")]
    public string Output { get; set; } = "reports";

    [Option("concurrency", Default = 1, HelpText = "Concurrent workers per endpoint.")]
    public int Concurrency { get; set; } = 1;

    [Option("delay-ms", Default = 100, HelpText = "Pause between requests of one worker, in ms.")]
    public int DelayMs { get; set; } = 100;

    [Option("warmup", Default = "auto", HelpText = "Requests per endpoint sent first and not counted: a number, or auto (until latency stops drifting, at least 1 s or 2000 requests; at most 5000 requests or 10 s, 5 for POST, PUT, PATCH, DELETE; with --test-all the whole walk is warmed before any endpoint is measured).")]
    public string Warmup { get; set; } = "auto";

    [Option("header", HelpText = "Extra request header \"Name: value\"; repeatable.")]
    public IEnumerable<string> Headers { get; set; } = [];

    [Option("data", HelpText = "Request body for --endpoint; @file reads it from a file.")]
    public string? Data { get; set; }

    [Option("timeout", Default = 30.0, HelpText = "Per-request timeout in seconds.")]
    public double Timeout { get; set; } = 30;

    [Option("max-p95-ms", HelpText = "Exit 1 when any endpoint's p95 is above this many ms (a CI gate).")]
    public double? MaxP95Ms { get; set; }

    [Option("baseline", HelpText = "Compare with an earlier run: a performance_data_*.json, or a folder (its newest one).")]
    public string? Baseline { get; set; }

    [Option("alpha", HelpText = "Significance level of the comparison with --baseline (default 0.05).")]
    public double? Alpha { get; set; }

    [Option("min-change-pct", HelpText = "With --baseline: changes within ± this many percent read \"no significant change\" (default 5).")]
    public double? MinChangePct { get; set; }

    [Option("max-regression-pct", HelpText = "With --baseline: exit 1 when an endpoint is significantly slower and its p50 rose more than this many percent.")]
    public double? MaxRegressionPct { get; set; }

    [Option("insecure", HelpText = "Accept any TLS certificate, e.g. a self-signed test server.")]
    public bool Insecure { get; set; }
}
