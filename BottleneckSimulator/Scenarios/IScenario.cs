namespace PerfTools.BottleneckSimulator.Scenarios;

/// <summary>One reproducible performance problem: what it sends, and how often. Listed in <see cref="ScenarioRegistry"/>,
/// which also holds its name.</summary>
internal interface IScenario
{
    /// <summary>What this run of it sends, for the line that starts it (<c>GET /boards at 10 requests/s</c>).</summary>
    string Describe(SimulatorSettings settings);

    /// <summary>Sets up what the scenario needs, then sends on its schedule through <paramref name="context"/>, which records.</summary>
    Task<ScenarioOutcome> RunAsync(ScenarioContext context, CancellationToken ct);
}
