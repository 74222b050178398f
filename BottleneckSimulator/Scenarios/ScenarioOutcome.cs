using PerfTools.Shared.Http;

namespace PerfTools.BottleneckSimulator.Scenarios;

/// <summary>How a scenario ended: its schedule ran (possibly cut short), or its setup failed and it was skipped.</summary>
/// <param name="Run">What the load runner did; null when skipped.</param>
/// <param name="SkipReason">Why the scenario did not run, one line; null when it ran.</param>
/// <param name="RoundBased">The runner's items were rounds of requests, not single requests.</param>
internal sealed record ScenarioOutcome(LoadRunOutcome? Run, string? SkipReason, bool RoundBased)
{
    public static ScenarioOutcome Skipped(string reason) => new(null, reason, false);
}
