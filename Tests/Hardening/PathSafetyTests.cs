using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports.Analyzer;
using PerfTools.Shared.Reports.Simulation;
using PerfTools.Shared.Text;
using PerfTools.Tests.BottleneckSimulator;
using PerfTools.Tests.Http;
using PerfTools.Tests.PerformanceAnalyzer;

namespace PerfTools.Tests.Hardening;

/// <summary>Hostile <c>--endpoint</c> paths (dot segments, encoded dot segments, CR/LF, ESC, NUL, bidi overrides, an
/// absolute-looking path, 5000 characters) become labels on the console and in every report, but no file outside
/// <c>--output</c>, no raw control character on the console, and no CSV that stops reading back.</summary>
public sealed class PathSafetyTests
{
    private const int Iterations = 3; // what AnalyzerRun.Quick asks for

    private static readonly string Unique = Guid.NewGuid().ToString("N")[..12];

    /// <summary>Each path and the label it must get (control characters escaped, the query dropped). Named, since a raw
    /// ESC in a test name would make the TRX file invalid XML.</summary>
    private static readonly TestCaseData[] HostilePaths =
    [
        Case("dot segments", $"/../../../tmp/h3-escape-{Unique}", $"GET /../../../tmp/h3-escape-{Unique}"),
        Case("encoded dot segments", $"/%2e%2e/%2e%2e/%2E%2E/h3-escape-{Unique}", $"GET /%2e%2e/%2e%2e/%2E%2E/h3-escape-{Unique}"),
        Case("absolute-looking", $"//tmp/h3-absolute-{Unique}", $"GET //tmp/h3-absolute-{Unique}"),
        Case("bidi override", "/bidi\u202Egnp.exe", "GET /bidi\\u202Egnp.exe"),
        Case("5000 characters", "/" + new string('a', 5000), "GET /" + new string('a', 5000)),
    ];

    [TestCaseSource(nameof(HostilePaths))]
    public async Task Analyzer_HostileEndpoint_MeasuredFilesStayInOutputConsoleClean(string path, string label)
    {
        await using var server = LoopbackServer.Start(200, "{}");
        using var folders = new Folders();
        using var run = await AnalyzerRun.StartAsync(
            AnalyzerRun.Quick(server.BaseUrl.ToString(), "--endpoint", path, "--output", folders.Output));

        var requests = RequestsCsv.ReadFile(Directory.GetFiles(folders.Output, "performance_requests_*.csv").Single());
        var summary = SummaryCsv.ReadFile(Directory.GetFiles(folders.Output, "performance_summary_*.csv").Single());
        var data = PerformanceDataJson.ReadFile(Directory.GetFiles(folders.Output, "performance_data_*.json").Single());
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            folders.AssertOnlyInsideOutput();
            AssertNoRawControl(run.Stdout, "stdout");
            AssertNoRawControl(run.Stderr, "stderr");
            Assert.That(run.Stdout, Does.Contain(label), "the table row");
            Assert.That(requests, Has.Count.EqualTo(Iterations), "the requests CSV reads back whole");
            Assert.That(requests.Select(r => r.Label), Has.All.EqualTo(label));
            Assert.That(summary.Select(s => s.Label), Is.EqualTo(new[] { label }));
            Assert.That(data.Keys, Is.EqualTo(new[] { label }));
            Assert.That(server.Requests, Has.Count.EqualTo(Iterations));
            Assert.That(server.Requests.Select(r => r.Target), Has.None.Matches<string>(t => t.Any(char.IsControl) || t.Contains(' ')),
                "sent percent-encoded, never raw");
            Assert.That(server.Requests.Select(r => r.Header("X-Injected")), Has.All.Null, "no header forged by a CR/LF in the path");
        });
    }

    [Test]
    public async Task Simulator_HostileEndpoint_FilesStayInOutputConsoleClean()
    {
        await using var server = LoopbackServer.Start(200, "{}");
        using var folders = new Folders();
        using var run = await SimulatorRun.StartAsync(
            "--base-url", server.BaseUrl.ToString(), "--scenario", "load", "--duration", "1", "--rps", "5",
            "--endpoint", $"/../../x\u202Egnp.{Unique}", "--output", folders.Output);

        var seconds = SimulationCsv.ReadFile(Directory.GetFiles(folders.Output, "simulation_load_*.csv").Single());
        var stats = SimulationJson.ReadFile(Directory.GetFiles(folders.Output, "simulation_load_*.json").Single());
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            folders.AssertOnlyInsideOutput();
            AssertNoRawControl(run.Stdout, "stdout");
            AssertNoRawControl(run.Stderr, "stderr");
            Assert.That(run.Stdout, Does.Contain($"load: GET /../../x\\u202Egnp.{Unique} at 5 requests/s"));
            Assert.That(run.Requests.Select(r => r.Label), Has.All.EqualTo($"GET /../../x\\u202Egnp.{Unique}"));
            Assert.That(seconds.Sum(s => s.Sent), Is.EqualTo(stats.Requests).And.EqualTo(server.Requests.Count));
            Assert.That(server.Requests.Select(r => r.Target), Has.None.Matches<string>(t => t.Any(char.IsControl)));
        });
    }

    [TestCase("tmp/x")]
    [TestCase("C:\\Windows\\x")]
    [TestCase("\u001b[2J/x", TestName = "Analyzer_EndpointNotAPath_OneEscapedLineExit2(ESC first)")]
    // Whitespace and control characters inside a path are a quoting mistake, refused before anything is sent.
    [TestCase("/a\r\nX-Injected: 1", TestName = "Analyzer_EndpointNotAPath_OneEscapedLineExit2(CR LF)")]
    [TestCase("/b\u001b[2J\u001b]0;pwned\u0007c", TestName = "Analyzer_EndpointNotAPath_OneEscapedLineExit2(ESC and BEL)")]
    [TestCase("/nul\0byte", TestName = "Analyzer_EndpointNotAPath_OneEscapedLineExit2(NUL)")]
    [TestCase("/search?q=a b", TestName = "Analyzer_EndpointNotAPath_OneEscapedLineExit2(space)")]
    public async Task Analyzer_EndpointNotAPath_OneEscapedLineExit2(string path)
    {
        using var folders = new Folders();
        using var run = await AnalyzerRun.StartAsync(AnalyzerRun.Quick("http://127.0.0.1:9/", "--endpoint", path, "--output", folders.Output));

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage), run.ToString());
            Assert.That(run.StderrLines, Has.Length.EqualTo(1));
            Assert.That(run.Stderr, Does.StartWith("performance_analyzer: --endpoint '"));
            AssertNoRawControl(run.Stderr, "stderr");
            folders.AssertOnlyInsideOutput();
        });
    }

    [TestCase("../../../../tmp/h3-x")]
    [TestCase("/etc/h3-x")]
    [TestCase("..")]
    [TestCase("a\r\nb\u001b\0c", TestName = "SimulationReportPaths_HostileScenario_EveryPathInsideFolder(control characters)")]
    [TestCase(" ")]
    public void SimulationReportPaths_HostileScenario_EveryPathInsideFolder(string scenario)
    {
        using var folders = new Folders();
        var paths = SimulationReportPaths.ForRun(folders.Output, scenario, DateTimeOffset.UnixEpoch);

        string inside = Path.GetFullPath(folders.Output) + Path.DirectorySeparatorChar;
        Assert.That(paths.All.Select(Path.GetFullPath), Has.All.StartsWith(inside).And.All.Matches<string>(p =>
            Path.GetDirectoryName(p) + Path.DirectorySeparatorChar == inside && !p.Any(char.IsControl)));
    }

    [TestCase("../../etc/passwd", "_._.._etc_passwd")]
    [TestCase("/abs/path", "_abs_path")]
    [TestCase("..", "_.")]
    [TestCase(".hidden", "_hidden")]
    [TestCase("a\r\n\u001b\0b", "a____b", TestName = "FileNamePart_Hostile_OneSafeName(control characters)")]
    [TestCase("", "_")]
    [TestCase("n_plus_1", "n_plus_1")]
    public void FileNamePart_Hostile_OneSafeName(string text, string expected) =>
        Assert.That(SafeText.FileNamePart(text), Is.EqualTo(expected));

    [Test]
    public void FileNamePart_VeryLong_Cut()
    {
        string part = SafeText.FileNamePart(new string('a', 5000));
        Assert.That(part, Has.Length.EqualTo(SafeText.MaxFileNamePartLength));
    }

    [TestCase("GET /boards/{id}", "GET /boards/{id}")]
    [TestCase("a\r\nb", "a\\x0D\\x0Ab")]
    [TestCase("\u001b[31mred\u001b[0m", "\\x1B[31mred\\x1B[0m", TestName = "Printable_ControlCharacters_Escaped(ESC)")]
    [TestCase("tab\there", "tab\\x09here")]
    [TestCase("del\u007f c1\u0085", "del\\x7F c1\\x85", TestName = "Printable_ControlCharacters_Escaped(DEL and C1)")]
    [TestCase("line\u2028sep \u2066iso\u2069", "line\\u2028sep \\u2066iso\\u2069")]
    [TestCase("café → ok", "café → ok")]
    public void Printable_ControlCharacters_Escaped(string text, string expected) =>
        Assert.That(SafeText.Printable(text), Is.EqualTo(expected));

    [Test]
    public void Printable_KeepNewlines_OnlyNewlineKept() =>
        Assert.That(SafeText.Printable("one\ntwo\r\n\u001b", keepNewlines: true), Is.EqualTo("one\ntwo\\x0D\n\\x1B"));

    private static TestCaseData Case(string name, string path, string label) =>
        new TestCaseData(path, label).SetArgDisplayNames(name);

    private static void AssertNoRawControl(string text, string what)
    {
        var raw = text.Where(c => (char.IsControl(c) && c != '\n') || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E'))
            .Select(c => $"U+{(int)c:X4}").Distinct().ToList();
        Assert.That(raw, Is.Empty, $"raw control characters on {what}");
    }

    /// <summary>A fresh parent folder holding the output folder, so a file written beside or above the output shows.</summary>
    private sealed class Folders : IDisposable
    {
        public Folders()
        {
            Parent = Path.Combine(Path.GetTempPath(), $"h3-paths-{Guid.NewGuid():N}");
            Output = Path.Combine(Parent, "out");
            Directory.CreateDirectory(Parent);
        }

        public string Parent { get; }

        public string Output { get; }

        /// <summary>Nothing but the output folder in the parent, nothing in the places the hostile paths point at.</summary>
        public void AssertOnlyInsideOutput()
        {
            string inside = Path.GetFullPath(Output) + Path.DirectorySeparatorChar;
            var entries = Directory.GetFileSystemEntries(Parent, "*", SearchOption.AllDirectories).Select(Path.GetFullPath).ToList();
            Assert.That(entries.Where(e => e != Path.GetFullPath(Output) && !e.StartsWith(inside, StringComparison.Ordinal)), Is.Empty,
                "written outside --output");
            Assert.That(entries.Where(e => Directory.Exists(e) && e != Path.GetFullPath(Output)), Is.Empty, "no subfolder");
            string[] escapes = [$"/tmp/h3-escape-{Unique}", $"/tmp/h3-absolute-{Unique}", $"/h3-escape-{Unique}", "/tmp/h3-x", "/etc/h3-x"];
            Assert.That(escapes.Where(p => File.Exists(p) || Directory.Exists(p)), Is.Empty, "written where a path pointed");
        }

        public void Dispose()
        {
            if (Directory.Exists(Parent))
            {
                Directory.Delete(Parent, recursive: true);
            }
        }
    }
}
