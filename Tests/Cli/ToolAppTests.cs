using CommandLine;
using PerfTools.Shared.Cli;
using PerfTools.Tests.Hardening;

namespace PerfTools.Tests.Cli;

/// <summary>The entry sequence every tool runs: secrets masked in every line from the first, help and usage errors
/// end the run before its work, a validation problem is one line and exit 2, and the work gets the validated settings,
/// the masking writers and the secrets read.</summary>
[NonParallelizable] // sets an environment variable
public sealed class ToolAppTests
{
    private const string Variable = "PERFTOOLS_TEST_TOKEN";
    private const string Token = "env-TOKEN-81c2d9";
    private const string HeaderSecret = "hdr-SECRET-0d4e7a";

    private static readonly ToolApp<Options, Settings> App = new()
    {
        Name = "tool",
        SecretVariables = [Variable],
        Allowed = option => option == "--count" ? "must be a whole number from 1 to 9" : null,
        HelpFooter = ["Footer line."],
        Validate = (Options o, IReadOnlyDictionary<string, string?> secrets, out string problem) =>
        {
            problem = o.Count is < 1 or > 9 ? $"--count '{o.Count}': must be a whole number from 1 to 9 (token {secrets[Variable]})" : "";
            return problem.Length == 0 ? new Settings(o.Count, secrets[Variable]) : null;
        },
    };

    [Test]
    public async Task RunAsync_ValidArguments_WorkGetsSettingsSecretsAndMaskingWriters()
    {
        using var env = new EnvironmentScope((Variable, Token));
        ToolRun<Options, Settings>? seen = null;

        var (code, stdout, stderr) = await RunAsync(["--count", "3", "--header", $"Authorization: Bearer {HeaderSecret}"], run =>
        {
            seen = run;
            run.Stdout.WriteLine($"token {Token}, header {HeaderSecret}, url http://u:p@h/");
            run.Stderr.WriteLine($"err {Token}");
            return Task.FromResult(7);
        });

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(7), "the work's exit code");
            Assert.That(seen?.Settings, Is.EqualTo(new Settings(3, Token)));
            Assert.That(seen?.Secrets[Variable], Is.EqualTo(Token));
            Assert.That(seen?.Options.Headers, Is.EqualTo(new[] { $"Authorization: Bearer {HeaderSecret}" }));
            Assert.That(stdout, Is.EqualTo("token ***, header ***, url http://***@h/\n"));
            Assert.That(stderr, Is.EqualTo("err ***\n"));
        });
    }

    [Test]
    public async Task RunAsync_ValidationProblemWithASecret_OneMaskedLineExit2WorkNotRun()
    {
        using var env = new EnvironmentScope((Variable, Token));
        bool ran = false;

        var (code, stdout, stderr) = await RunAsync(["--count", "12"], _ =>
        {
            ran = true;
            return Task.FromResult(0);
        });

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Usage));
            Assert.That(ran, Is.False);
            Assert.That(stdout, Is.Empty);
            Assert.That(stderr, Is.EqualTo("tool: --count '12': must be a whole number from 1 to 9 (token ***)\n"));
        });
    }

    [TestCase(new[] { "--count", "x" }, "tool: --count 'x': must be a whole number from 1 to 9\n")]
    [TestCase(new[] { "--bogus" }, "tool: --bogus: not an option; must be one of --count, --header (see --help)\n")]
    [TestCase(new[] { "--header", "Authorization: Bearer " + HeaderSecret, "stray" }, "tool: argument 'stray': must be an option (--name value); see --help\n")]
    public async Task RunAsync_ParseError_OneLineExit2WorkNotRun(string[] args, string expected)
    {
        bool ran = false;

        var (code, stdout, stderr) = await RunAsync(args, _ =>
        {
            ran = true;
            return Task.FromResult(0);
        });

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Usage));
            Assert.That(ran, Is.False);
            Assert.That(stdout, Is.Empty);
            Assert.That(stderr, Is.EqualTo(expected));
        });
    }

    [Test]
    public async Task RunAsync_Help_OptionsThenFooterExit0WorkNotRun()
    {
        bool ran = false;

        var (code, stdout, stderr) = await RunAsync(["--bogus", "--help"], _ =>
        {
            ran = true;
            return Task.FromResult(0);
        });

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(ran, Is.False);
            Assert.That(stderr, Is.Empty);
            Assert.That(stdout, Does.StartWith("tool (PerfTools)"));
            Assert.That(stdout.IndexOf("Footer line.", StringComparison.Ordinal),
                Is.GreaterThan(stdout.IndexOf("--count", StringComparison.Ordinal)), "the footer follows the options");
        });
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(
        string[] args, Func<ToolRun<Options, Settings>, Task<int>> run)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        int code = await App.RunAsync(args, stdout, stderr, run);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public sealed class Options
    {
        [Option("count", Default = 1, HelpText = "How many.")]
        public int Count { get; set; } = 1;

        [Option("header", HelpText = "A header.")]
        public IEnumerable<string> Headers { get; set; } = [];
    }

    private sealed record Settings(int Count, string? Token);
}
