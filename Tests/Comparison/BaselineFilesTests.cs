using PerfTools.Shared.Comparison;


namespace PerfTools.Tests.Comparison;

/// <summary>The newest baseline in a folder is chosen by the timestamp in the name, suffix included, not by file time.</summary>
public sealed class BaselineFilesTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"baseline-files-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void NewestJson_SuffixesAndOtherFiles_TheHighestTimestampAndSuffix()
    {
        string[] names =
        [
            "performance_data_20261125_120000.json", "performance_data_20261125_120000_2.json",
            "performance_data_20261125_120000_10.json", "performance_data_20261124_235959_99.json",
            "performance_data_20261125_120000_9.json", "performance_data_latest.json", "performance_summary_20261126_000000.csv",
            "performance_data_20261126_000000.json.tmp", "simulation_load_20261127_000000.json",
        ];
        foreach (string name in names)
        {
            File.WriteAllText(Path.Combine(_folder, name), "{}");
        }

        // Make the oldest name the newest file: the time on disk must not matter.
        File.SetLastWriteTimeUtc(Path.Combine(_folder, "performance_data_20261125_120000.json"), DateTime.UtcNow.AddDays(1));

        Assert.That(Path.GetFileName(BaselineFiles.NewestJson(_folder, "performance_data_")),
            Is.EqualTo("performance_data_20261125_120000_10.json"));
    }

    [Test]
    public void NewestJson_ScenarioPrefixes_DoNotMatchEachOther()
    {
        File.WriteAllText(Path.Combine(_folder, "simulation_n_plus_1_20261125_120000.json"), "{}");
        File.WriteAllText(Path.Combine(_folder, "simulation_load_20261125_110000.json"), "{}");

        Assert.Multiple(() =>
        {
            Assert.That(Path.GetFileName(BaselineFiles.NewestJson(_folder, "simulation_load_")), Is.EqualTo("simulation_load_20261125_110000.json"));
            Assert.That(BaselineFiles.NewestJson(_folder, "simulation_slow_"), Is.Null);
            Assert.That(BaselineFiles.NewestJson(_folder, "simulation_n_"), Is.Null, "the rest of the name must be a timestamp");
        });
    }
}
