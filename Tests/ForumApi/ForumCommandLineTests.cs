using System.Diagnostics;
using ForumApi;

namespace PerfTools.Tests.ForumApi;

/// <summary>forum_api's own option parsing, plus one real process run to pin the exit code and stderr line.</summary>
[TestFixture]
public sealed class ForumCommandLineTests
{
    [Test]
    public void Parse_NoArgs_Defaults()
    {
        var parsed = ForumCommandLine.Parse([]);

        Assert.That(parsed, Is.EqualTo(new ParsedCommandLine(new ForumOptions("http://127.0.0.1:8080", null, 0, false))));
    }

    [Test]
    public void Parse_AllOptions_AllSet()
    {
        var parsed = ForumCommandLine.Parse(["--urls", "http://127.0.0.1:0", "--db", "/tmp/x.db", "--seed=7", "--fixed"]);

        Assert.That(parsed.Error, Is.Null);
        Assert.That(parsed.Options, Is.EqualTo(new ForumOptions("http://127.0.0.1:0", "/tmp/x.db", 7, true)));
    }

    [Test]
    public void Parse_Help_ShowHelp()
    {
        Assert.That(ForumCommandLine.Parse(["--help"]).ShowHelp, Is.True);
    }

    [TestCase(new[] { "--bogus" }, "unknown option '--bogus'")]
    [TestCase(new[] { "--seed" }, "--seed needs a value")]
    [TestCase(new[] { "--seed", "-1" }, "--seed '-1' is not a whole number")]
    [TestCase(new[] { "--seed", "many" }, "--seed 'many' is not a whole number")]
    [TestCase(new[] { "--urls", "127.0.0.1:80" }, "is not an http(s) URL")]
    [TestCase(new[] { "--db", "--fixed" }, "--db needs a value")]
    [TestCase(new[] { "--fixed=yes" }, "--fixed takes no value")]
    public void Parse_BadArgs_OneLineProblemAndFix(string[] args, string problem)
    {
        var error = ForumCommandLine.Parse(args).Error;

        Assert.That(error, Does.StartWith("forum_api: ").And.Contain(problem).And.Contain("; "));
        Assert.That(error, Does.Not.Contain('\n'));
    }

    [Test]
    public async Task Main_UnknownOption_Exits2WithOneStderrLine()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "forum_api.dll"));
        info.ArgumentList.Add("--frobnicate");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);

        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(process.ExitCode, Is.EqualTo(2));
            Assert.That(lines, Has.Length.EqualTo(1));
            Assert.That(lines[0], Does.StartWith("forum_api: unknown option '--frobnicate'; "));
            Assert.That(await stdout, Is.Empty);
        }
    }
}
