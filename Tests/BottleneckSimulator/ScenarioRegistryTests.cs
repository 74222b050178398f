using PerfTools.BottleneckSimulator;
using PerfTools.BottleneckSimulator.Scenarios;
using PerfTools.Shared.Cli;

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
    public void Names_TheOriginalFour_InTheOrderAllRunsThem() =>
        Assert.That(ScenarioRegistry.Names, Is.EqualTo(new[] { "load", "n_plus_1", "slow", "memory" }));

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
            Assert.That(problem, Is.EqualTo("--scenario 'n_plus_one': must be one of load, n_plus_1, slow, memory, all"));
        });
    }

    [Test]
    public async Task RunAsync_Help_ListsEveryScenarioWithItsDescriptionAfterTheOptions()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int code = await SimulatorApp.RunAsync(["--help"], stdout, stderr, CancellationToken.None);

        string help = stdout.ToString();
        string[] lines = help.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(help.IndexOf("Scenarios (--scenario NAME", StringComparison.Ordinal),
                Is.GreaterThan(help.IndexOf("--version", StringComparison.Ordinal)), "after the options");
            foreach (ScenarioEntry entry in ScenarioRegistry.Scenarios)
            {
                // One line each: a description too long for the help's width would wrap without its indent.
                Assert.That(lines, Has.One.Matches<string>(l => l.TrimEnd() == $"  {entry.Name.PadRight(8)}  {entry.Description}"), entry.Name);
            }
        });
    }
}
