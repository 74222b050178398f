using PerfTools.BottleneckDetector;
using PerfTools.BottleneckSimulator;
using PerfTools.PerformanceAnalyzer;
using PerfTools.Shared.Cli;
using PerfTools.Tests.Http;

namespace PerfTools.Tests.Hardening;

/// <summary>Every option of the three tools, given a bad value (or none, or twice), is refused before anything is sent:
/// exit 2, one stderr line naming the option and the value and saying what is allowed, no stack trace, not one
/// connection to the loopback servers standing in for the target, Prometheus and Jaeger, and no file written.</summary>
public sealed class BadArgumentsTests
{
    private const string Analyzer = AnalyzerApp.ToolName;
    private const string Simulator = SimulatorApp.ToolName;
    private const string Detector = DetectorApp.ToolName;

    private static readonly string Missing = Path.Combine(Path.GetTempPath(), $"hardening-missing-{Guid.NewGuid():N}.json");
    private static readonly string AFolder = Path.GetTempPath();

    /// <summary>A file that exists, for <c>--output</c> (not a folder) and <c>--output file/sub</c> (under a file).</summary>
    private static readonly string AFile = Path.Combine(Path.GetTempPath(), $"hardening-file-{Guid.NewGuid():N}.txt");

    /// <summary>Writable by no one, root included: the kernel refuses to create anything under /proc.</summary>
    private const string ProcFolder = "/proc/perftools-hardening";

    /// <summary>Baselines for <c>--baseline</c>: good, damaged and of the wrong kind, and an empty folder.</summary>
    private static readonly string Baselines = Path.Combine(Path.GetTempPath(), $"hardening-baselines-{Guid.NewGuid():N}");
    private static readonly string EmptyFolder = Path.Combine(Baselines, "empty");
    private static readonly string GoodData = Path.Combine(Baselines, "performance_data_20261125_120000.json");
    private static readonly string DamagedData = Path.Combine(Baselines, "damaged", "performance_data_20261125_120000.json");
    private static readonly string GoodSimulation = Path.Combine(Baselines, "simulation_load_20261125_120000.json");
    private static readonly string DamagedSimulation = Path.Combine(Baselines, "damaged", "simulation_load_20261125_120000.json");
    private static readonly string OldSimulation = Path.Combine(Baselines, "old", "simulation_load_20261125_120000.json");

    [OneTimeSetUp]
    public void CreateFile()
    {
        File.WriteAllText(AFile, "keep me");
        Directory.CreateDirectory(EmptyFolder);
        Directory.CreateDirectory(Path.GetDirectoryName(DamagedData)!);
        Directory.CreateDirectory(Path.GetDirectoryName(OldSimulation)!);
        File.WriteAllText(GoodData, """{"GET /x": [1.5, 2.5, 3.5]}""");
        File.WriteAllText(DamagedData, """{"GET /x": [1.5, 2.""");
        string simulation = """
            {"scenario": "load", "base_url": "http://127.0.0.1:1/", "started_at": "2026-11-25T12:00:00.0000000+00:00",
             "target_rps": 10, "achieved_rps": 10.000, "duration_s": 1, "max_in_flight": 10, "requests": 3, "ok": 3,
             "errors": 0, "late": 0, "max_lag_ms": 0.000,
             "latency_ms": {"p50": 2.000, "p90": 3.000, "p99": 3.000, "max": 3.000},
             "latency_uncorrected_ms": {"p50": 2.000, "p90": 3.000, "p99": 3.000, "max": 3.000},
             "status_codes": {"200": 3}, "errors_by_kind": {}%HISTOGRAM%}
            """;
        File.WriteAllText(GoodSimulation, simulation.Replace("%HISTOGRAM%", """, "latency_histogram": [[1000, 1], [2000, 1], [3000, 1]]""", StringComparison.Ordinal));
        File.WriteAllText(OldSimulation, simulation.Replace("%HISTOGRAM%", "", StringComparison.Ordinal));
        File.WriteAllText(DamagedSimulation, simulation.Replace("%HISTOGRAM%", """, "latency_histogram": [[1000]]""", StringComparison.Ordinal));
    }

    [OneTimeTearDown]
    public void DeleteFile()
    {
        File.Delete(AFile);
        Directory.Delete(Baselines, recursive: true);
    }

    /// <param name="Option">What the line names first: the option, <c>argument</c> for a stray word.</param>
    /// <param name="Value">What the line must quote as the value, or null when there is none (a missing value).</param>
    public sealed record Case(string Tool, string Option, string? Value, string[] Args)
    {
        public override string ToString() => $"{Tool} {string.Join(' ', Args.Select(a => a.Length == 0 ? "''" : a))}";
    }

    public static IEnumerable<TestCaseData> Cases() => AnalyzerCases().Concat(SimulatorCases()).Concat(DetectorCases())
        .Select(c => new TestCaseData(c).SetArgDisplayNames(c.ToString().ReplaceLineEndings("\\n")));

    [TestCaseSource(nameof(Cases))]
    public async Task RunAsync_BadArgument_Exit2OneLineNothingSentNothingWritten(Case bad)
    {
        await using var target = LoopbackServer.Start(200, "{}");
        await using var prometheus = LoopbackServer.Start(200, "{}");
        await using var jaeger = LoopbackServer.Start(200, "{}");
        string output = Path.Combine(Path.GetTempPath(), $"hardening-args-{Guid.NewGuid():N}");
        string[] args = WithDefaults(bad, target.BaseUrl, prometheus.BaseUrl, jaeger.BaseUrl, output);
        try
        {
            (int code, string stdout, string stderr) = await RunAsync(bad.Tool, args);

            string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Multiple(() =>
            {
                string all = $"exit {code}\n--- stdout\n{stdout}\n--- stderr\n{stderr}";
                Assert.That(code, Is.EqualTo(ExitCodes.Usage), all);
                Assert.That(lines, Has.Length.EqualTo(1), all);
                Assert.That(stderr, Does.StartWith($"{bad.Tool}: {bad.Option}"), all);
                if (bad.Value is { } value)
                {
                    Assert.That(stderr, Does.Contain($"'{value}'"), "the line quotes the value given");
                }

                Assert.That(stderr, Does.Contain("must"), "the line says what is allowed");
                Assert.That(stderr + stdout, Does.Not.Contain("   at ").And.Not.Contain("Exception"), "no stack trace");
                Assert.That(stdout, Is.Empty);
                Assert.That(target.AcceptedConnections + prometheus.AcceptedConnections + jaeger.AcceptedConnections, Is.Zero,
                    "nothing may reach the network before every option is valid");
                Assert.That(!Directory.Exists(output) || Directory.GetFileSystemEntries(output).Length == 0, Is.True,
                    "no report (or probe file) may be written");
                Assert.That(File.ReadAllText(AFile), Is.EqualTo("keep me"), "a file given as --output is left alone");
            });
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // chmod
    public async Task RunAsync_OutputReadOnlyFolder_Exit2NamesOutputInEveryTool()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"hardening-readonly-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead
                | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute); // chmod 555
            if (CanWrite(folder))
            {
                Assert.Ignore("running as root: chmod 555 does not stop root from writing; the /proc cases of "
                    + nameof(RunAsync_BadArgument_Exit2OneLineNothingSentNothingWritten) + " cover a folder that cannot be written");
            }

            await using var server = LoopbackServer.Start(200, "{}");
            foreach ((string tool, string[] more) in new[] { (Analyzer, new[] { "--test-all" }), (Simulator, []), (Detector, []) })
            {
                var bad = new Case(tool, "--output", folder, [.. more, "--output", folder]);
                (int code, string stdout, string stderr) = await RunAsync(tool, WithDefaults(bad, server.BaseUrl, server.BaseUrl, server.BaseUrl, folder));

                Assert.Multiple(() =>
                {
                    Assert.That(code, Is.EqualTo(ExitCodes.Usage), stderr);
                    Assert.That(stderr, Does.StartWith($"{tool}: --output '{folder}': must be a folder that can be created and written"));
                    Assert.That(stdout, Is.Empty);
                    Assert.That(server.AcceptedConnections, Is.Zero);
                    Assert.That(Directory.GetFileSystemEntries(folder), Is.Empty);
                });
            }
        }
        finally
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestCase(Analyzer, "--test-all")]
    [TestCase(Simulator)]
    [TestCase(Detector)]
    public async Task RunAsync_HelpAfterABadOption_HelpWinsExit0(string tool, params string[] more)
    {
        (int code, string stdout, string stderr) = await RunAsync(tool, [.. more, "--bogus", "--help"]);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), stderr);
            Assert.That(stdout, Does.Contain("--output"));
            Assert.That(stderr, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_DataValueStartingWithDash_IsTheBodyNotAnOption()
    {
        await using var server = LoopbackServer.Start(200, "{}");
        string output = Path.Combine(Path.GetTempPath(), $"hardening-args-{Guid.NewGuid():N}");
        try
        {
            (int code, _, string stderr) = await RunAsync(Analyzer,
                ["--endpoint", "/x", "--method", "POST", "--data", "-1", "--iterations", "1", "--warmup", "0", "--delay-ms", "0",
                 "--base-url", server.BaseUrl.ToString(), "--jaeger-url", server.BaseUrl.ToString(), "--output", output]);

            Assert.That(code, Is.EqualTo(ExitCodes.Ok), stderr);
            Assert.That(server.Requests.Where(r => r.Target == "/x").Select(r => System.Text.Encoding.UTF8.GetString(r.Body)),
                Is.EqualTo(new[] { "-1" }));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static IEnumerable<Case> AnalyzerCases()
    {
        foreach (Case c in UrlCases(Analyzer, "--base-url", "--test-all").Concat(UrlCases(Analyzer, "--jaeger-url", "--test-all")))
        {
            yield return c;
        }

        yield return A("--test-all", "yes", "--test-all=yes");
        yield return A("--test-all", null, "--test-all", "--test-all");
        yield return A("--test-all/--endpoint", null);
        yield return A("--endpoint", "boards", "--endpoint", "boards");
        yield return A("--endpoint", "/x y", "--endpoint", "/x y");
        yield return A("--endpoint", "/x\\x0Ay", "--endpoint", "/x\ny"); // escaped: the message stays one line
        yield return A("--endpoint", "", "--endpoint", "");
        yield return A("--endpoint", "/x", "--endpoint", "/x", "--test-all");
        yield return A("--endpoint", null, "--endpoint");
        yield return A("--method", "G T", "--endpoint", "/x", "--method", "G T");
        yield return A("--method", "", "--endpoint", "/x", "--method", "");
        yield return A("--method", "GET/1", "--endpoint", "/x", "--method", "GET/1");
        foreach (Case c in Counts(Analyzer, "--iterations", ["0", "-1", "1000001", "99999999999", "abc", "1.5", "1,000", "0x10"], "--test-all"))
        {
            yield return c;
        }

        foreach (Case c in Counts(Analyzer, "--concurrency", ["0", "-3", "10001", "many"], "--test-all"))
        {
            yield return c;
        }

        foreach (Case c in Counts(Analyzer, "--delay-ms", ["-1", "3600001", "1e3", "0.5"], "--test-all"))
        {
            yield return c;
        }

        foreach (Case c in Counts(Analyzer, "--warmup", ["-1", "1000001", "some", "abc", "auto2", "1.5", "+5", "99999999999"], "--test-all"))
        {
            yield return c;
        }

        yield return A("--warmup", "", "--test-all", "--warmup", "");

        foreach (Case c in Timeouts(Analyzer, "--test-all"))
        {
            yield return c;
        }

        yield return A("--max-p95-ms", "0", "--test-all", "--max-p95-ms=0");
        yield return A("--max-p95-ms", "-1", "--test-all", "--max-p95-ms=-1");
        yield return A("--max-p95-ms", "NaN", "--test-all", "--max-p95-ms", "NaN");
        yield return A("--max-p95-ms", "1E+300", "--test-all", "--max-p95-ms", "1e300");
        yield return A("--max-p95-ms", "fast", "--test-all", "--max-p95-ms", "fast");
        yield return A("--max-p95-ms", null, "--test-all", "--max-p95-ms");
        foreach (Case c in HeaderCases(Analyzer, "--test-all"))
        {
            yield return c;
        }

        yield return A("--data", "{}", "--test-all", "--data", "{}");
        foreach (Case c in DataCases(Analyzer, "--endpoint", "/x", "--method", "POST"))
        {
            yield return c;
        }

        foreach (Case c in OutputCases(Analyzer, "--test-all"))
        {
            yield return c;
        }

        foreach (Case c in ComparisonCases(Analyzer, GoodData, "--test-all"))
        {
            yield return c;
        }

        yield return A("--baseline", DamagedData, "--test-all", "--baseline", DamagedData);
        yield return A("--baseline", Path.GetDirectoryName(DamagedData), "--test-all", "--baseline", Path.GetDirectoryName(DamagedData)!);
        yield return A("--baseline", GoodSimulation, "--test-all", "--baseline", GoodSimulation); // another tool's report

        foreach (Case c in CommonCases(Analyzer, "--iterations", "3", "--test-all"))
        {
            yield return c;
        }

        static Case A(string option, string? value, params string[] args) => new(Analyzer, option, value, args);
    }

    private static IEnumerable<Case> SimulatorCases()
    {
        foreach (Case c in UrlCases(Simulator, "--base-url"))
        {
            yield return c;
        }

        yield return S("--scenario", "bogus", "--scenario", "bogus");
        yield return S("--scenario", "", "--scenario", "");
        yield return S("--scenario", "slow,load", "--scenario", "slow,load");
        yield return S("--scenario", null, "--scenario");
        yield return S("--scenario", "missing-index", "--scenario", "missing-index");
        // connection_pool keeps 20 GET /slow in flight and needs a slot more for its paced route.
        yield return S("--max-in-flight", "20", "--scenario", "connection_pool", "--max-in-flight", "20");
        yield return S("--max-in-flight", "1", "--max-in-flight", "1", "--scenario", "CONNECTION_POOL");
        foreach (Case c in Counts(Simulator, "--rps", ["-1", "1000001", "2.5", "ten"]))
        {
            yield return c;
        }

        foreach (Case c in Counts(Simulator, "--duration", ["0", "-5", "604801", "30s", "2147483648"]))
        {
            yield return c;
        }

        foreach (Case c in Counts(Simulator, "--warmup", ["-1", "3601", "1.5", "abc", "5s"]))
        {
            yield return c;
        }

        yield return S("--endpoint", "boards", "--endpoint", "boards");
        yield return S("--endpoint", "/x y", "--endpoint", "/x y");
        yield return S("--endpoint", "", "--endpoint", "");
        yield return S("--endpoint", null, "--endpoint");
        yield return S("--method", "G T", "--method", "G T");
        yield return S("--method", "", "--method", "");
        foreach (Case c in HeaderCases(Simulator).Concat(DataCases(Simulator, "--scenario", "load")).Concat(Timeouts(Simulator)))
        {
            yield return c;
        }

        foreach (Case c in Counts(Simulator, "--max-in-flight", ["0", "-1", "100001", "lots"]))
        {
            yield return c;
        }

        foreach (Case c in OutputCases(Simulator).Concat(CommonCases(Simulator, "--duration", "1")))
        {
            yield return c;
        }

        foreach (Case c in ComparisonCases(Simulator, GoodSimulation, "--scenario", "load"))
        {
            yield return c;
        }

        yield return S("--baseline", DamagedSimulation, "--baseline", DamagedSimulation);
        yield return S("--baseline", Path.GetDirectoryName(DamagedSimulation), "--baseline", Path.GetDirectoryName(DamagedSimulation)!);
        yield return S("--baseline", OldSimulation, "--baseline", OldSimulation); // no latency_histogram to test
        yield return S("--baseline", GoodSimulation, "--scenario", "slow", "--baseline", GoodSimulation); // of a scenario not run
        yield return S("--baseline", GoodSimulation, "--scenario", "missing_index", "--baseline", GoodSimulation); // nor a new one
        yield return S("--baseline", GoodData, "--baseline", GoodData); // another tool's report
        foreach (string shard in (string[])["0/2", "3/2", "2", "a/b", "1/0", "1/10001", "-1/2", ""])
        {
            yield return S("--shard", shard, "--shard", shard);
        }

        yield return S("--shard", null, "--shard");
        yield return S("--shard", "2/2", "--scenario", "load", "--rps", "0", "--shard", "2/2"); // the closed model has no schedule
        string ahead = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (string startAt in (string[])["yesterday", "2020-01-01T00:00:00Z", "1000", "2030-01-01T10:00:00+02:00", "2030-01-01 10:00", "99999999999", ""])
        {
            yield return S("--start-at", startAt, "--start-at", startAt);
        }

        yield return S("--start-at", ahead, "--scenario", "all", "--start-at", ahead); // one start, one scenario
        yield return S("--merge", Missing, "--merge", Missing);
        yield return S("--merge", AFile, "--merge", AFile);
        yield return S("--merge", EmptyFolder, "--merge", EmptyFolder);
        yield return S("--merge", EmptyFolder, "--shard", "1/2", "--merge", EmptyFolder);

        static Case S(string option, string? value, params string[] args) => new(Simulator, option, value, args);
    }

    private static IEnumerable<Case> DetectorCases()
    {
        foreach (Case c in UrlCases(Detector, "--prometheus-url").Concat(UrlCases(Detector, "--jaeger-url")))
        {
            yield return c;
        }

        yield return D("--threshold-ms", "0", "--threshold-ms=0");
        yield return D("--threshold-ms", "-1", "--threshold-ms=-1");
        yield return D("--threshold-ms", "NaN", "--threshold-ms", "NaN");
        yield return D("--threshold-ms", "1E+300", "--threshold-ms", "1e300");
        yield return D("--threshold-ms", "slow", "--threshold-ms", "slow");
        yield return D("--threshold-ms", "0,5", "--threshold-ms", "0,5");
        yield return D("--at", "yesterday", "--at", "yesterday");
        yield return D("--at", "2026-11-25", "--at", "2026-11-25");
        yield return D("--at", "2999-01-01T00:00:00Z", "--at", "2999-01-01T00:00:00Z");
        yield return D("--at", "-5", "--at", "-5");
        yield return D("--at", null, "--at");
        yield return D("--window", "5", "--window", "5");
        yield return D("--window", "0s", "--window", "0s");
        yield return D("--window", "500ms", "--window", "500ms");
        yield return D("--window", "11y", "--window", "11y");
        yield return D("--window", "5x", "--window", "5x");
        yield return D("--window", "", "--window", "");
        yield return D("--window", null, "--window");
        yield return D("--service", " ", "--service", " ");
        yield return D("--service", null, "--service");
        foreach (Case c in Counts(Detector, "--traces", ["0", "1001", "-1", "all"]))
        {
            yield return c;
        }

        yield return D("--baseline", Missing, "--baseline", Missing);
        yield return D("--baseline", AFile, "--baseline", AFile); // not JSON
        yield return D("--baseline", EmptyFolder, "--baseline", EmptyFolder);
        yield return D("--baseline", "/dev/zero", "--baseline", "/dev/zero");
        yield return D("--baseline", "", "--baseline", "");
        yield return D("--baseline", null, "--baseline");
        // --database-url: a malformed URL or a SQLite file that is not there is a usage error, before anything is asked.
        yield return D("--database-url", "postgres://***@h:abc/db", "--database-url", "postgres://forum:pw-9f3e@h:abc/db"); // the password masked in the line
        // (a URL's user info is masked whole, user alone too)
        yield return D("--database-url", "postgres://***@/forum", "--database-url", "postgres://u@/forum");
        yield return D("--database-url", "postgres://***@127.0.0.1:5432", "--database-url", "postgres://u@127.0.0.1:5432");
        yield return D("--database-url", "postgres://127.0.0.1/forum?application_name=x", "--database-url", "postgres://127.0.0.1/forum?application_name=x");
        yield return D("--database-url", "mysql://***@127.0.0.1/forum", "--database-url", "mysql://u@127.0.0.1/forum");
        yield return D("--database-url", Missing, "--database-url", Missing); // a SQLite file that does not exist
        yield return D("--database-url", AFile, "--database-url", AFile); // a file that is not SQLite
        yield return D("--database-url", AFolder, "--database-url", AFolder);
        yield return D("--database-url", "", "--database-url", "");
        yield return D("--database-url", null, "--database-url");
        yield return D("--fail-on", "error", "--fail-on", "error");
        yield return D("--fail-on", "", "--fail-on", "");
        yield return D("--fail-on", null, "--fail-on");
        foreach (Case c in Timeouts(Detector).Concat(OutputCases(Detector)).Concat(CommonCases(Detector, "--traces", "5")))
        {
            yield return c;
        }

        static Case D(string option, string? value, params string[] args) => new(Detector, option, value, args);
    }

    private static IEnumerable<Case> UrlCases(string tool, string option, params string[] more)
    {
        string[] bad =
        [
            "ftp://127.0.0.1/", "file:///etc/passwd", "localhost:8080", "http://", "http:///x", "http://exa mple.com",
            " http://127.0.0.1:8080", "http://127.0.0.1:8080/a b", "http://127.0.0.1:99999", "mailto:a@b.c", "",
        ];
        foreach (string url in bad)
        {
            yield return new Case(tool, option, url, [.. more, option, url]);
        }

        yield return new Case(tool, option, null, [.. more, option]);
    }

    private static IEnumerable<Case> Counts(string tool, string option, string[] values, params string[] more) =>
        values.Select(v => new Case(tool, option, v, [.. more, $"{option}={v}"]))
            .Append(new Case(tool, option, null, [.. more, option]));

    private static IEnumerable<Case> Timeouts(string tool, params string[] more) =>
    [
        new(tool, "--timeout", "0", [.. more, "--timeout=0"]),
        new(tool, "--timeout", "-2.5", [.. more, "--timeout=-2.5"]),
        new(tool, "--timeout", "NaN", [.. more, "--timeout", "NaN"]),
        new(tool, "--timeout", "Infinity", [.. more, "--timeout", "Infinity"]),
        new(tool, "--timeout", "1E+300", [.. more, "--timeout", "1e300"]),
        new(tool, "--timeout", "86401", [.. more, "--timeout", "86401"]),
        new(tool, "--timeout", "1,5", [.. more, "--timeout", "1,5"]),
        new(tool, "--timeout", "10s", [.. more, "--timeout", "10s"]),
        new(tool, "--timeout", null, [.. more, "--timeout"]),
    ];

    private static IEnumerable<Case> HeaderCases(string tool, params string[] more) =>
    [
        new(tool, "--header", "NoColonHere", [.. more, "--header", "NoColonHere"]),
        new(tool, "--header", "Bad Name: x", [.. more, "--header", "Bad Name: x"]),
        new(tool, "--header", ": x", [.. more, "--header", ": x"]),
        new(tool, "--header", "X-Bell: a\\x07b", [.. more, "--header", "X-Bell: a\u0007b"]),
        new(tool, "--header", null, [.. more, "--header"]),
    ];

    private static IEnumerable<Case> DataCases(string tool, params string[] more) =>
    [
        new(tool, "--data", "@" + Missing, [.. more, "--data", "@" + Missing]),
        new(tool, "--data", "@", [.. more, "--data", "@"]),
        new(tool, "--data", "@" + AFolder, [.. more, "--data", "@" + AFolder]),
        new(tool, "--data", "@/dev/zero", [.. more, "--data", "@/dev/zero"]),
        new(tool, "--data", null, [.. more, "--data"]),
    ];

    private static IEnumerable<Case> OutputCases(string tool, params string[] more) =>
    [
        new(tool, "--output", AFile, [.. more, "--output", AFile]),
        new(tool, "--output", Path.Combine(AFile, "reports"), [.. more, "--output", Path.Combine(AFile, "reports")]),
        new(tool, "--output", ProcFolder, [.. more, "--output", ProcFolder]),
        new(tool, "--output", "/proc", [.. more, "--output", "/proc"]),
        new(tool, "--output", "", [.. more, "--output", ""]),
        new(tool, "--output", null, [.. more, "--output"]),
    ];

    /// <summary><c>--baseline</c>, <c>--alpha</c>, <c>--max-regression-pct</c> and <c>--min-change-pct</c>, the same in the
    /// analyzer and the simulator.</summary>
    private static IEnumerable<Case> ComparisonCases(string tool, string goodBaseline, params string[] more) =>
    [
        new(tool, "--baseline", Missing, [.. more, "--baseline", Missing]),
        new(tool, "--baseline", "", [.. more, "--baseline", ""]),
        new(tool, "--baseline", EmptyFolder, [.. more, "--baseline", EmptyFolder]),
        new(tool, "--baseline", AFile, [.. more, "--baseline", AFile]),
        new(tool, "--baseline", null, [.. more, "--baseline"]),
        new(tool, "--alpha", "0", [.. more, "--baseline", goodBaseline, "--alpha=0"]),
        new(tool, "--alpha", "1", [.. more, "--baseline", goodBaseline, "--alpha", "1"]),
        new(tool, "--alpha", "-0.05", [.. more, "--baseline", goodBaseline, "--alpha=-0.05"]),
        new(tool, "--alpha", "NaN", [.. more, "--baseline", goodBaseline, "--alpha", "NaN"]),
        new(tool, "--alpha", "5%", [.. more, "--baseline", goodBaseline, "--alpha", "5%"]),
        new(tool, "--alpha", "0,05", [.. more, "--baseline", goodBaseline, "--alpha", "0,05"]),
        new(tool, "--alpha", null, [.. more, "--baseline", goodBaseline, "--alpha"]),
        new(tool, "--alpha", "0.01", [.. more, "--alpha", "0.01"]), // nothing to compare
        new(tool, "--max-regression-pct", "-1", [.. more, "--baseline", goodBaseline, "--max-regression-pct=-1"]),
        new(tool, "--max-regression-pct", "NaN", [.. more, "--baseline", goodBaseline, "--max-regression-pct", "NaN"]),
        new(tool, "--max-regression-pct", "Infinity", [.. more, "--baseline", goodBaseline, "--max-regression-pct", "Infinity"]),
        new(tool, "--max-regression-pct", "1E+300", [.. more, "--baseline", goodBaseline, "--max-regression-pct", "1e300"]),
        new(tool, "--max-regression-pct", "ten", [.. more, "--baseline", goodBaseline, "--max-regression-pct", "ten"]),
        new(tool, "--max-regression-pct", null, [.. more, "--baseline", goodBaseline, "--max-regression-pct"]),
        new(tool, "--max-regression-pct", "10", [.. more, "--max-regression-pct", "10"]), // nothing to compare
        new(tool, "--min-change-pct", "-1", [.. more, "--baseline", goodBaseline, "--min-change-pct=-1"]),
        new(tool, "--min-change-pct", "100", [.. more, "--baseline", goodBaseline, "--min-change-pct", "100"]),
        new(tool, "--min-change-pct", "NaN", [.. more, "--baseline", goodBaseline, "--min-change-pct", "NaN"]),
        new(tool, "--min-change-pct", "five", [.. more, "--baseline", goodBaseline, "--min-change-pct", "five"]),
        new(tool, "--min-change-pct", null, [.. more, "--baseline", goodBaseline, "--min-change-pct"]),
        new(tool, "--min-change-pct", "5", [.. more, "--min-change-pct", "5"]), // nothing to compare
    ];

    /// <summary>Unknown options, stray words and options given twice, the same for every tool.</summary>
    private static IEnumerable<Case> CommonCases(string tool, string single, string singleValue, params string[] more) =>
    [
        new(tool, "--bogus", null, [.. more, "--bogus"]),
        new(tool, "--bogus", null, [.. more, "--bogus=1"]),
        new(tool, "-x", null, [.. more, "-x"]),
        new(tool, "--Output", null, [.. more, "--Output", "reports"]),
        new(tool, "argument", "boards", [.. more, "boards"]),
        new(tool, "argument", "--", [.. more, "--"]),
        new(tool, single, "7", [.. more, single, singleValue, $"{single}=7"]),
        new(tool, "--output", "b", [.. more, "--output", "a", "--output", "b"]),
    ];

    /// <summary>The case's arguments plus loopback URLs for every server option and a fresh --output, each only when
    /// the case does not give that option itself (giving one twice is a mistake of its own).</summary>
    private static string[] WithDefaults(Case c, Uri target, Uri prometheus, Uri jaeger, string output)
    {
        var args = new List<string>(c.Args);
        void Add(string option, string value)
        {
            if (!c.Args.Any(a => a == option || a.StartsWith(option + "=", StringComparison.Ordinal)))
            {
                args.AddRange([option, value]);
            }
        }

        if (c.Tool == Detector)
        {
            Add("--prometheus-url", prometheus.ToString());
        }
        else
        {
            Add("--base-url", target.ToString());
        }

        if (c.Tool != Simulator)
        {
            Add("--jaeger-url", jaeger.ToString());
        }

        Add("--output", output);
        return [.. args];
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string tool, string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // a run that starts anyway still ends
        int code = tool switch
        {
            Analyzer => await AnalyzerApp.RunAsync(args, stdout, stderr, limit.Token),
            Simulator => await SimulatorApp.RunAsync(args, stdout, stderr, limit.Token),
            _ => await DetectorApp.RunAsync(args, stdout, stderr, limit.Token),
        };
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static bool CanWrite(string folder)
    {
        string probe = Path.Combine(folder, "probe");
        try
        {
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
