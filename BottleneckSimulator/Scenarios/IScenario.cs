namespace PerfTools.BottleneckSimulator.Scenarios;

/// <summary>One reproducible performance problem: what it sends, and how often.</summary>
internal interface IScenario
{
    /// <summary>The <c>--scenario</c> name, also used in report file names.</summary>
    string Name { get; }

    /// <summary>Sets up what the scenario needs, then sends on its schedule through <paramref name="context"/>, which records.</summary>
    Task<ScenarioOutcome> RunAsync(ScenarioContext context, CancellationToken ct);
}
