using CommandLine;

namespace PerfTools.BottleneckSimulator;

/// <summary>The simulator's command line; option names and defaults are the original script's.</summary>
public sealed class SimulatorOptions
{
    [Option("base-url", Default = "http://localhost:8080", HelpText = "Base URL of the API under load.")]
    public string BaseUrl { get; set; } = "http://localhost:8080";

    [Option("scenario", Default = "all", HelpText = "load, n_plus_1, slow, memory or all.")]
    public string Scenario { get; set; } = "all";

    [Option("rps", Default = 10, HelpText = "Requests per second for the load scenario.")]
    public int Rps { get; set; } = 10;

    [Option("duration", Default = 30, HelpText = "Seconds each scenario runs.")]
    public int Duration { get; set; } = 30;

    [Option("endpoint", Default = "/boards", HelpText = "Path the load scenario requests.")]
    public string Endpoint { get; set; } = "/boards";

    [Option("output", Default = "reports", HelpText = "Folder the reports are written to.")]
    public string Output { get; set; } = "reports";
}
