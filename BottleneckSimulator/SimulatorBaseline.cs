using PerfTools.Shared.Analysis;

namespace PerfTools.BottleneckSimulator;

/// <summary>The earlier runs <c>--baseline</c> names, one per scenario found, read and checked before anything is sent.</summary>
/// <param name="Given">The value of <c>--baseline</c>, a file or a folder.</param>
/// <param name="Files">The <c>simulation_&lt;scenario&gt;_*.json</c> read for each scenario that has one, in run order.</param>
internal sealed record SimulatorBaseline(string Given, IReadOnlyList<(string Path, SimulationStats Stats)> Files)
{
    /// <summary>The baseline of <paramref name="scenario"/>, or null when there is none.</summary>
    public SimulationStats? For(string scenario) =>
        Files.FirstOrDefault(f => f.Stats.Scenario == scenario) is { Stats: { } stats } ? stats : null;
}
