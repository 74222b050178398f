using PerfTools.BottleneckSimulator;
using PerfTools.BottleneckSimulator.Scenarios;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports.Simulation;
using PerfTools.Tests.Reports.Simulation;

namespace PerfTools.Tests.BottleneckSimulator;

/// <summary>The scenario registry is the one list: <c>--scenario all</c> runs it in order, validation accepts exactly
/// its names, and <c>--help</c> lists each with its description.</summary>
public sealed class ScenarioRegistryTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("sim-registry-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Names_TheOriginalFourThenPoolAndIndex_InTheOrderAllRunsThem() =>
        Assert.That(ScenarioRegistry.Names, Is.EqualTo(new[] { "load", "n_plus_1", "slow", "memory", "connection_pool", "missing_index" }));

    [Test]
    public void Create_EveryEntry_ANewScenarioEachTime()
    {
        Assert.Multiple(() =>
        {
            foreach (ScenarioEntry entry in ScenarioRegistry.Scenarios)
            {
                IScenario first = entry.Create();
                Assert.That(entry.Create(), Is.Not.SameAs(first), entry.Name);
                Assert.That(entry.Description, Is.Not.Empty, entry.Name);
            }
        });
    }

    [Test]
    public void Validate_All_EveryRegisteredScenarioInOrder()
    {
        SimulatorSettings? settings = OptionValidator.Validate(new SimulatorOptions { Scenario = "ALL", Output = _folder }, out string problem);

        Assert.That(settings?.Scenarios, Is.EqualTo(ScenarioRegistry.Names), problem);
    }

    [TestCaseSource(typeof(ScenarioRegistry), nameof(ScenarioRegistry.Names))]
    public void Validate_RegisteredName_ThatOneScenario(string name)
    {
        SimulatorSettings? settings = OptionValidator.Validate(new SimulatorOptions { Scenario = name, Output = _folder }, out string problem);

        Assert.That(settings?.Scenarios, Is.EqualTo(new[] { name }), problem);
    }

    [Test]
    public void Validate_UnknownName_ProblemListsTheRegistry()
    {
        SimulatorSettings? settings = OptionValidator.Validate(new SimulatorOptions { Scenario = "n_plus_one", Output = _folder }, out string problem);

        Assert.Multiple(() =>
        {
            Assert.That(settings, Is.Null);
            Assert.That(problem, Is.EqualTo("--scenario 'n_plus_one': must be one of load, n_plus_1, slow, memory, connection_pool, missing_index, all"));
        });
    }

    [Test]
    public void Validate_ConnectionPoolByNameWithTooFewSlots_ProblemSaysWhy()
    {
        SimulatorSettings? settings = OptionValidator.Validate(
            new SimulatorOptions { Scenario = "connection_pool", MaxInFlight = 20, Output = _folder }, out string problem);

        Assert.Multiple(() =>
        {
            Assert.That(settings, Is.Null);
            Assert.That(problem, Is.EqualTo("--max-in-flight '20': must be more than 20 for connection_pool, which keeps 20 GET /slow in flight besides GET /boards/{id}"));
        });
    }

    [Test]
    public void Validate_AllWithTooFewSlotsForConnectionPool_Valid()
    {
        // A run of all that worked before connection_pool existed still runs: connection_pool is skipped, saying why.
        SimulatorSettings? settings = OptionValidator.Validate(new SimulatorOptions { MaxInFlight = 5, Output = _folder }, out string problem);

        Assert.That(settings?.Scenarios, Is.EqualTo(ScenarioRegistry.Names), problem);
    }

    [Test]
    public void Validate_BaselineFolder_NewestOfEachScenarioThatHasOneInRunOrder()
    {
        string baselines = Path.Combine(_folder, "baselines");
        Directory.CreateDirectory(baselines);
        string Write(string scenario, string timestamp)
        {
            string path = Path.Combine(baselines, $"simulation_{scenario}_{timestamp}.json");
            using (var file = File.Create(path))
            {
                SimulationJson.Write(file, SimulationReportsTests.Sample() with { Scenario = scenario });
            }

            return path;
        }

        Write("missing_index", "20261125_120000");
        string index = Write("missing_index", "20261125_130000");
        Write("connection_pool", "20261125_120000");
        string pool = Write("connection_pool", "20261125_120000_2");
        string load = Write("load", "20261124_080000");

        SimulatorSettings? settings = OptionValidator.Validate(new SimulatorOptions { Baseline = baselines, Output = _folder }, out string problem);

        Assert.That(settings?.Baseline?.Files.Select(f => f.Path), Is.EqualTo(new[] { load, pool, index }), problem);
    }

    [Test]
    public async Task RunAsync_Help_ListsEveryScenarioWithItsDescriptionAfterTheOptions()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int code = await SimulatorApp.RunAsync(["--help"], stdout, stderr, CancellationToken.None);

        string help = stdout.ToString();
        string[] lines = help.Split('\n');
        int width = ScenarioRegistry.Names.Max(n => n.Length);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(help.IndexOf("Scenarios (--scenario NAME", StringComparison.Ordinal),
                Is.GreaterThan(help.IndexOf("--version", StringComparison.Ordinal)), "after the options");
            foreach (ScenarioEntry entry in ScenarioRegistry.Scenarios)
            {
                // One line each: a description too long for the help's width would wrap without its indent.
                Assert.That(lines, Has.One.Matches<string>(l => l.TrimEnd() == $"  {entry.Name.PadRight(width)}  {entry.Description}"), entry.Name);
            }
        });
    }
}
