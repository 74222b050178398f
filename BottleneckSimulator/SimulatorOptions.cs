using CommandLine;
using PerfTools.Shared.Cli;

namespace PerfTools.BottleneckSimulator;

/// <summary>The simulator's command line: the original script's options and defaults, plus request and load options.</summary>
public sealed class SimulatorOptions
{
    [Option("base-url", Default = "http://localhost:8080", HelpText = "Base URL of the API under load.")]
    public string BaseUrl { get; set; } = "http://localhost:8080";

    [Option("scenario", Default = "all", HelpText = "Scenario to run (listed below), or all of them in turn.")]
    public string Scenario { get; set; } = "all";

    [Option("rps", Default = 10, HelpText = "Requests per second of load, of connection_pool's GET /boards/{id} and of missing_index; 0 = as fast as --max-in-flight allows.")]
    public int Rps { get; set; } = 10;

    [Option("duration", Default = 30, HelpText = "Seconds each scenario runs.")]
    public int Duration { get; set; } = 30;

    [Option("warmup", Default = 5, HelpText = "Seconds of each scenario's own traffic sent before it is measured, not recorded (warms the server's JIT, caches and pools); 0 = none.")]
    public int Warmup { get; set; } = 5;

    [Option("endpoint", Default = "/boards", HelpText = "Path the load scenario requests.")]
    public string Endpoint { get; set; } = "/boards";

    [Option("method", Default = "GET", HelpText = "HTTP method of the load scenario's requests.")]
    public string Method { get; set; } = "GET";

    [Option("header", HelpText = "Extra request header \"Name: value\" for every request; repeatable.")]
    public IEnumerable<string> Headers { get; set; } = [];

    [Option("data", HelpText = "Request body of the load scenario; @file reads it from a file.")]
    public string? Data { get; set; }

    [Option("timeout", Default = 30.0, HelpText = "Per-request timeout in seconds.")]
    public double Timeout { get; set; } = 30;

    [Option("max-in-flight", Default = 1000, HelpText = "Requests in flight at most; a due request waits for a slot and is charged the wait.")]
    public int MaxInFlight { get; set; } = 1000;

    [Option("output", Default = "reports", HelpText = "Folder the reports are written to.")]
    public string Output { get; set; } = "reports";

    [Option("baseline", HelpText = "Compare with an earlier run: a simulation_<scenario>_*.json, or a folder (its newest one per scenario).")]
    public string? Baseline { get; set; }

    [Option("alpha", HelpText = "Significance level of the comparison with --baseline (default 0.05).")]
    public double? Alpha { get; set; }

    [Option("min-change-pct", HelpText = "With --baseline: changes within ± this many percent read \"no significant change\" (default 5).")]
    public double? MinChangePct { get; set; }

    [Option("max-regression-pct", HelpText = "With --baseline: exit 1 when a scenario is significantly slower and its p50 rose more than this many percent.")]
    public double? MaxRegressionPct { get; set; }

    [Option("shard", HelpText = "K/N: send only share K of N of the one schedule at --rps (requests i with i mod N = K-1), so N processes at the same --rps send it together.")]
    public string? Shard { get; set; }

    [Option("start-at", HelpText = "The schedule's time zero, the same for every shard: RFC 3339 UTC (2026-12-06T10:00:00Z) or Unix seconds; default: at once.")]
    public string? StartAt { get; set; }

    [ValueList]
    [Option("merge", HelpText = "Merge the results of the shards of one run (.hlog files or folders, subfolders searched; several after one --merge, or --merge repeated) into the reports of one run; sends nothing.")]
    public IEnumerable<string> Merge { get; set; } = [];

    [Option("insecure", HelpText = "Accept any TLS certificate, e.g. a self-signed test server.")]
    public bool Insecure { get; set; }
}
