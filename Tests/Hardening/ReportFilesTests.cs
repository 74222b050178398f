using PerfTools.Shared.Reports;
using PerfTools.Shared.Reports.Analyzer;
using PerfTools.Shared.Reports.Detector;
using PerfTools.Shared.Reports.Simulation;
using PerfTools.Tests.Http;
using PerfTools.Tests.PerformanceAnalyzer;

namespace PerfTools.Tests.Hardening;

/// <summary>Report files are never half-written and never overwritten: runs in the same second, on many threads or
/// in several processes, each get their own timestamp, and a failed write leaves nothing that looks like a report.</summary>
public sealed class ReportFilesTests
{
    private static readonly DateTimeOffset SameSecond = new(2026, 11, 25, 12, 30, 15, TimeSpan.Zero);

    private string _folder = "";

    [SetUp]
    public void SetUp() => _folder = Path.Combine(Path.GetTempPath(), $"hardening-reports-{Guid.NewGuid():N}");

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Test]
    public void Claim_ManyThreadsInTheSameSecond_EachGetsItsOwnTimestamp()
    {
        const int runs = 24;
        var stamps = new string[runs];
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        using var start = new Barrier(runs);
        var threads = Enumerable.Range(0, runs).Select(i => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                // The race of two runs: both see no file of the set yet; only one may get the name.
                using var claim = PerformanceReportPaths.Claim(_folder, SameSecond);
                stamps[i] = claim.Paths.Timestamp;
                File.WriteAllText(claim.Paths.SummaryCsv, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.That(failures, Is.Empty);
        Assert.Multiple(() =>
        {
            Assert.That(stamps, Is.Unique);
            Assert.That(stamps, Does.Contain("20261125_123015").And.Contain("20261125_123015_2"));
            Assert.That(Directory.GetFiles(_folder, "performance_summary_*.csv"), Has.Length.EqualTo(runs), "no run overwrote another's file");
            Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName), Has.None.Contains(ReportTimestamp.ClaimSuffix),
                "every claim is gone once its run is done");
        });
    }

    [Test]
    public void Claim_ThreadsOfThreeToolsAndScenarios_EachSetHasOneTimestampAndNoneCollide()
    {
        var claims = new List<(string Set, string Timestamp)>();
        int written = 0;
        Parallel.For(0, 30, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            (string set, string ts, IReadOnlyList<string> files, IDisposable claim) = (i % 3) switch
            {
                0 => Claimed("analyzer", PerformanceReportPaths.Claim(_folder, SameSecond), c => c.Paths.Timestamp, c => c.Paths.All),
                1 => Claimed("simulator", SimulationReportPaths.Claim(_folder, "slow", SameSecond), c => c.Paths.Timestamp, c => c.Paths.All),
                _ => Claimed("detector", DetectorReportPaths.Claim(_folder, SameSecond), c => c.Paths.Timestamp, c => c.Paths.All),
            };
            using (claim)
            {
                foreach (string file in files)
                {
                    File.WriteAllText(file, set);
                }
            }

            Interlocked.Add(ref written, files.Count);

            lock (claims)
            {
                claims.Add((set, ts));
            }
        });

        Assert.Multiple(() =>
        {
            foreach (var group in claims.GroupBy(c => c.Set))
            {
                Assert.That(group.Select(c => c.Timestamp), Is.Unique, group.Key);
                Assert.That(group.Select(c => c.Timestamp), Does.Contain("20261125_123015"),
                    $"{group.Key}: other tools' files in the folder do not take its first timestamp");
            }

            // Counted, not spelled out: each tool's set of report names grows (issue 7 added HTML and comparison files).
            Assert.That(Directory.GetFiles(_folder), Has.Length.EqualTo(written), "every file of every run is there");
            Assert.That(Directory.GetFiles(_folder, ".*"), Is.Empty, "no claim or temporary file is left");
        });
    }

    [Test]
    public void Claim_HeldByAnotherRun_NextSuffixUntilReleased()
    {
        using (var first = DetectorReportPaths.Claim(_folder, SameSecond))
        {
            // The first run has written nothing yet: only its claim keeps the second off its names.
            using var second = DetectorReportPaths.Claim(_folder, SameSecond);
            Assert.That((first.Paths.Timestamp, second.Paths.Timestamp), Is.EqualTo(("20261125_123015", "20261125_123015_2")));
        }

        using var third = DetectorReportPaths.Claim(_folder, SameSecond);
        Assert.That(third.Paths.Timestamp, Is.EqualTo("20261125_123015"), "a released claim with no files frees the name");
    }

    [Test]
    public void Claim_StaleClaimOfAKilledRun_NextSuffix()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, ".performance_20261125_123015" + ReportTimestamp.ClaimSuffix), "");

        using var claim = PerformanceReportPaths.Claim(_folder, SameSecond);

        Assert.That(claim.Paths.Timestamp, Is.EqualTo("20261125_123015_2"));
    }

    [Test]
    public void Claim_FolderUnderAFile_IOException()
    {
        Directory.CreateDirectory(_folder);
        string file = Path.Combine(_folder, "file");
        File.WriteAllText(file, "");

        Assert.That(() => PerformanceReportPaths.Claim(Path.Combine(file, "reports"), SameSecond), Throws.InstanceOf<IOException>());
    }

    [Test]
    public void Write_WriterThrowsHalfway_NoTargetAndNoTemporary()
    {
        Directory.CreateDirectory(_folder);
        string target = Path.Combine(_folder, "performance_data_20261125_123015.json");

        Assert.That(() => AtomicFile.Write(target, stream =>
        {
            stream.Write("{\"GET /boards\": [12.3, "u8);
            stream.Flush();
            throw new InvalidOperationException("the writer failed halfway");
        }), Throws.InvalidOperationException);

        Assert.That(Directory.GetFileSystemEntries(_folder), Is.Empty, "neither the target nor the temporary file may remain");
    }

    [Test]
    public void Write_WhileWriting_TemporaryNameMatchesNoReportGlob()
    {
        Directory.CreateDirectory(_folder);
        string target = Path.Combine(_folder, "performance_data_20261125_123015.json");
        string[] during = [];
        string[] globbed = [];

        AtomicFile.Write(target, stream =>
        {
            stream.Write("{}"u8);
            during = Directory.GetFiles(_folder).Select(f => Path.GetFileName(f)!).ToArray();
            string[] globs = ["performance_*.json", "performance_data_*", "*.json", "*_20261125_123015.json"];
            globbed = globs.SelectMany(g => Directory.GetFiles(_folder, g)).ToArray();
        });

        Assert.Multiple(() =>
        {
            Assert.That(during, Has.Length.EqualTo(1), "the temporary file exists while the writer runs");
            Assert.That(during[0], Does.StartWith(".").And.EndWith(AtomicFile.TempSuffix));
            Assert.That(globbed, Is.Empty, "no report glob may pick up a half-written file");
            Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName), Is.EqualTo(new[] { Path.GetFileName(target) }));
            Assert.That(File.ReadAllText(target), Is.EqualTo("{}"));
        });
    }

    [Test]
    [Category("Slow")]
    public async Task Analyzer_FourProcessesAtOnce_FourSetsOfReportsNoneOverwritten()
    {
        await using var server = LoopbackServer.Start(200, "{}");
        const int processes = 4;
        var running = Enumerable.Range(0, processes).Select(_ => ToolProcess.Start("performance_analyzer",
            AnalyzerRun.Quick(server.BaseUrl.ToString(), "--endpoint", "/boards", "--iterations", "1", "--output", _folder))).ToList();
        try
        {
            int?[] codes = await Task.WhenAll(running.Select(p => p.WaitAsync(TimeSpan.FromSeconds(60))));
            Assert.That(codes, Is.All.EqualTo(0), string.Join("\n", running));
        }
        finally
        {
            running.ForEach(p => p.Dispose());
        }

        string[] stamps = Directory.GetFiles(_folder, "performance_data_*.json")
            .Select(f => Path.GetFileNameWithoutExtension(f)["performance_data_".Length..]).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(stamps, Has.Length.EqualTo(processes), "one data file per process");
            foreach (string ts in stamps)
            {
                Assert.That(File.Exists(Path.Combine(_folder, $"performance_summary_{ts}.csv")), ts);
                Assert.That(File.Exists(Path.Combine(_folder, $"performance_requests_{ts}.csv")), ts);
                Assert.That(RequestsCsv.ReadFile(Path.Combine(_folder, $"performance_requests_{ts}.csv")), Has.Count.EqualTo(1),
                    "each set holds one run's one request, not a mix");
            }

            Assert.That(Directory.GetFiles(_folder, ".*"), Is.Empty, "no claim or temporary file is left");
        });
    }

    private static (string, string, IReadOnlyList<string>, IDisposable) Claimed<T>(
        string set, ReportClaim<T> claim, Func<ReportClaim<T>, string> timestamp, Func<ReportClaim<T>, IReadOnlyList<string>> files) =>
        (set, timestamp(claim), files(claim), claim);
}
