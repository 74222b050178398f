using PerfTools.Shared.Reports.Analyzer;
using PerfTools.Shared.Reports.Simulation;


namespace PerfTools.Tests.Reports.Simulation;

/// <summary>The simulator's run-level names (<c>simulation_report_&lt;ts&gt;.html</c>, <c>comparison_&lt;ts&gt;.*</c>) and
/// the one name it shares with the analyzer: <c>comparison_&lt;ts&gt;</c> is never given to two runs of either tool.</summary>
public sealed class SimulationRunReportPathsTests
{
    private static readonly DateTimeOffset SameSecond = new(2026, 11, 25, 12, 30, 15, TimeSpan.Zero);

    private string _folder = "";

    [SetUp]
    public void SetUp() => _folder = Path.Combine(Path.GetTempPath(), $"sim-run-paths-{Guid.NewGuid():N}");

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Test]
    public void Claim_EmptyFolder_NamesThePageAndTheComparisonWithOneTimestamp()
    {
        using var claim = SimulationRunReportPaths.Claim(_folder, SameSecond);

        Assert.That(claim.Paths.All.Select(Path.GetFileName), Is.EqualTo(new[]
        {
            "simulation_report_20261125_123015.html", "comparison_20261125_123015.csv", "comparison_20261125_123015.json",
        }));
    }

    [Test]
    public void Claim_AnalyzerHoldsTheSecond_SimulatorTakesTheNextSuffix()
    {
        // Neither has written anything yet: only the shared comparison_ claim keeps them apart.
        using var analyzer = PerformanceReportPaths.Claim(_folder, SameSecond);
        using var simulator = SimulationRunReportPaths.Claim(_folder, SameSecond);

        Assert.That((analyzer.Paths.Timestamp, simulator.Paths.Timestamp), Is.EqualTo(("20261125_123015", "20261125_123015_2")));
    }

    [Test]
    public void Claim_ComparisonOfTheAnalyzerExists_SimulatorTakesTheNextSuffix()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "comparison_20261125_123015.json"), "{}");

        using var claim = SimulationRunReportPaths.Claim(_folder, SameSecond);

        Assert.That(claim.Paths.Timestamp, Is.EqualTo("20261125_123015_2"));
    }

    [Test]
    public void Claim_ThreadsOfBothToolsInOneSecond_NoComparisonNameTwice()
    {
        var names = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 40, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (i % 2 == 0)
            {
                using var claim = PerformanceReportPaths.Claim(_folder, SameSecond);
                File.WriteAllText(claim.Paths.ComparisonCsv, "analyzer");
                names.Add(claim.Paths.ComparisonCsv);
            }
            else
            {
                using var claim = SimulationRunReportPaths.Claim(_folder, SameSecond);
                File.WriteAllText(claim.Paths.ComparisonCsv, "simulator");
                names.Add(claim.Paths.ComparisonCsv);
            }
        });

        Assert.Multiple(() =>
        {
            Assert.That(names, Is.Unique);
            Assert.That(Directory.GetFiles(_folder, "comparison_*.csv"), Has.Length.EqualTo(40));
            Assert.That(Directory.GetFiles(_folder, ".*"), Is.Empty, "every claim file is released");
        });
    }
}
