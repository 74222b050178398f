using System.Text;
using PerfTools.BottleneckSimulator;
using PerfTools.Shared.Analysis;
using PerfTools.Tests.Reports;
using PerfTools.Tests.Reports.Simulation;

namespace PerfTools.Tests.BottleneckSimulator;

/// <summary>The summary the simulator prints after each scenario matches its golden file (STYLE habit 10) in any culture
/// (habit 7): an open-model scenario with a route reported beside it, a round-based one that was interrupted, and a
/// closed-model one with no responses (and so no route lines).</summary>
public sealed class ScenarioSummaryTests
{
    [TestCase("en-US")]
    [TestCase("de-DE")]
    public void Write_ThreeScenarios_MatchesGolden(string culture)
    {
        using var scope = new CultureScope(culture);
        using var output = new StringWriter { NewLine = "\n" };
        SimulationStats closed = SimulationReportsTests.Sample() with
        {
            Scenario = "load", TargetRps = 0, Requests = 0, Ok = 0, Errors = 0, Late = 0, MaxLagMicros = 0,
            Latency = new LatencySummary(0, 0, 0, 0), LatencyUncorrected = new LatencySummary(0, 0, 0, 0),
            StatusCodes = new Dictionary<int, long>(), ErrorsByKind = new Dictionary<string, long>(), Routes = [],
            Generator = null, // no schedule, so nothing is late
        };

        ScenarioSummary.Write(output, SimulationReportsTests.Sample(), interrupted: false);
        ScenarioSummary.Write(output, SimulationReportsTests.Sample(rounds: 8) with { Scenario = "slow" }, interrupted: true);
        ScenarioSummary.Write(output, closed, interrupted: false);

        GoldenFile.AssertMatches("simulator_console.txt", Encoding.UTF8.GetBytes(output.ToString()));
    }
}
