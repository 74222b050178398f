using System.Text;
using PerfTools.Shared.Cli;

namespace PerfTools.Tests.Cli;

/// <summary>The option checks the three tools share, each answering with one line <c>--option 'value': allowed</c> or
/// null. The tools' use of them, run end to end, is in <c>Hardening/BadArgumentsTests</c>.</summary>
public sealed class OptionChecksTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("option-checks-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Bad_ControlCharactersInOptionOrValue_EscapedOnOneLine() =>
        Assert.That(OptionChecks.Bad("--x\r", "a\nb\u001b[31m", "must be y"), Is.EqualTo("--x\\x0D 'a\\x0Ab\\x1B[31m': must be y"));

    [TestCase("http://localhost:8080")]
    [TestCase("https://user:pw@h.example:8443/api?q=1")]
    [TestCase("HTTP://H.EXAMPLE/")]
    public void HttpUrl_AbsoluteHttpUrl_Accepted(string text)
    {
        Uri? url = OptionChecks.HttpUrl(text, "--base-url", "http://localhost:8080", out string? problem);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Null);
            Assert.That(url, Is.EqualTo(new Uri(text)));
        });
    }

    [TestCase("localhost:8080")]
    [TestCase("ftp://h.example/")]
    [TestCase("/boards")]
    [TestCase(" http://h.example/")]
    [TestCase("http://h.example/a b")]
    [TestCase("http://h.example/\n")]
    [TestCase("file:///etc/passwd")]
    [TestCase("")]
    public void HttpUrl_NotAnAbsoluteHttpUrl_ProblemWithTheExample(string text)
    {
        Uri? url = OptionChecks.HttpUrl(text, "--base-url", "http://localhost:8080", out string? problem);

        Assert.Multiple(() =>
        {
            Assert.That(url, Is.Null);
            Assert.That(problem, Does.StartWith("--base-url '").And.EndWith(
                "': must be an absolute http:// or https:// URL without spaces, e.g. http://localhost:8080"));
            Assert.That(problem, Does.Not.Contain("\n"));
        });
    }

    [TestCase(0.001, true)]
    [TestCase(86_400, true)]
    [TestCase(0, false)]
    [TestCase(-1, false)]
    [TestCase(86_400.5, false)]
    [TestCase(double.NaN, false)]
    [TestCase(double.PositiveInfinity, false)]
    public void CheckTimeout_Seconds_AboveZeroAndAtMostADay(double seconds, bool ok) =>
        Assert.That(OptionChecks.CheckTimeout(seconds), ok ? Is.Null : Does.EndWith(": " + OptionChecks.TimeoutAllowed));

    [Test]
    public void ReadData_Text_ItsUtf8Bytes()
    {
        byte[]? body = OptionChecks.ReadData("{\"name\":\"café\"}", out string? problem);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Null);
            Assert.That(body, Is.EqualTo(Encoding.UTF8.GetBytes("{\"name\":\"café\"}")));
        });
    }

    [Test]
    public void ReadData_AtFile_TheFilesBytes()
    {
        string path = Path.Combine(_folder, "body.bin");
        File.WriteAllBytes(path, [0, 1, 2, 255]);

        byte[]? body = OptionChecks.ReadData("@" + path, out string? problem);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Null);
            Assert.That(body, Is.EqualTo(new byte[] { 0, 1, 2, 255 }));
        });
    }

    [TestCase("@", "@ must be followed by a file name, e.g. @body.json")]
    [TestCase("@{folder}", "@file must name a readable file, not a folder")]
    [TestCase("@{folder}/missing.json", "@file must name a readable file (")]
    public void ReadData_AtWithoutAReadableFile_Problem(string data, string allowed)
    {
        data = data.Replace("{folder}", _folder, StringComparison.Ordinal);

        byte[]? body = OptionChecks.ReadData(data, out string? problem);

        Assert.Multiple(() =>
        {
            Assert.That(body, Is.Null);
            Assert.That(problem, Does.StartWith($"--data '{data}': {allowed}"));
        });
    }

    [Test]
    public void ReadData_FileLargerThanTheLimit_ProblemNotTheBytes()
    {
        string path = Path.Combine(_folder, "large.bin");
        using (var file = File.Create(path))
        {
            file.SetLength(OptionChecks.MaxDataBytes + 1L); // sparse: cheap to create
        }

        byte[]? body = OptionChecks.ReadData("@" + path, out string? problem);

        Assert.Multiple(() =>
        {
            Assert.That(body, Is.Null);
            Assert.That(problem, Is.EqualTo($"--data '@{path}': @file must be at most 64 MB"));
        });
    }

    [Test]
    public void CheckOutputFolder_MissingFolder_CreatedNoProbeLeft()
    {
        string folder = Path.Combine(_folder, "a", "b");

        string? problem = OptionChecks.CheckOutputFolder(folder, "tool");

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Null);
            Assert.That(Directory.Exists(folder), Is.True);
            Assert.That(Directory.GetFileSystemEntries(folder), Is.Empty, "the probe file is deleted");
        });
    }

    [Test]
    public void CheckOutputFolder_AnExistingFileOrUnderOne_Problem()
    {
        string file = Path.Combine(_folder, "file.txt");
        File.WriteAllText(file, "x");

        Assert.Multiple(() =>
        {
            Assert.That(OptionChecks.CheckOutputFolder(file, "tool"), Is.EqualTo($"--output '{file}': must be a folder, not an existing file"));
            Assert.That(OptionChecks.CheckOutputFolder(Path.Combine(file, "sub"), "tool"),
                Does.StartWith($"--output '{Path.Combine(file, "sub")}': must be a folder that can be created and written ("));
            Assert.That(OptionChecks.CheckOutputFolder(" ", "tool"), Does.StartWith("--output ' ': must be a folder that can be created and written"));
        });
    }

    [Test]
    public void Headers_NameColonValue_TrimmedPairsInOrder()
    {
        var headers = OptionChecks.Headers(["Accept:  text/plain ", "X-Tab: a\tb", "X-Empty:", "Accept: */*"], out string? problem);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Null);
            Assert.That(headers, Is.EqualTo(new KeyValuePair<string, string>[]
            {
                new("Accept", "text/plain"), new("X-Tab", "a\tb"), new("X-Empty", ""), new("Accept", "*/*"),
            }));
        });
    }

    [TestCase("NoColonHere")]
    [TestCase(": no name")]
    [TestCase("Bad Name: x")]
    [TestCase("X-Split: a\r\nInjected: b")]
    [TestCase("X-Nul: a\0b")]
    public void Headers_Malformed_ProblemNamesTheHeaderNoPairs(string header)
    {
        var headers = OptionChecks.Headers(["Accept: text/plain", header], out string? problem);

        Assert.Multiple(() =>
        {
            Assert.That(headers, Is.Empty);
            Assert.That(problem, Is.EqualTo(OptionChecks.Bad("--header", header, "must be 'Name: value' with a valid header name")));
            Assert.That(problem, Does.Not.Contain("\n").And.Not.Contain("\r"));
        });
    }

    [TestCase("GET", true)]
    [TestCase("X-Custom_Header.1~", true)]
    [TestCase("", false)]
    [TestCase("G T", false)]
    [TestCase("Na:me", false)]
    [TestCase("Ä", false)]
    public void IsToken_Text_Rfc9110Token(string text, bool expected) =>
        Assert.That(OptionChecks.IsToken(text), Is.EqualTo(expected));
}
