using CommandLine;
using PerfTools.Shared.Cli;

namespace PerfTools.Tests.Cli;

/// <summary><see cref="ArgumentScan"/> finds what CommandLineParser would let through or word badly, one line each, and
/// hands the parser arguments it cannot misread. Every tool's bad arguments, run end to end, are in
/// <c>Hardening/BadArgumentsTests</c>.</summary>
public sealed class ArgumentScanTests
{
    [TestCase(new[] { "--count", "3", "--name", "x", "--insecure" }, new[] { "--count", "3", "--name", "x", "--insecure" })]
    [TestCase(new[] { "--count=3", "--name=x" }, new[] { "--count", "3", "--name", "x" })]
    [TestCase(new[] { "--name", "-x" }, new[] { "--name=-x" })]
    [TestCase(new[] { "--ratio", "-1.5" }, new[] { "--ratio=-1.5" })]
    [TestCase(new[] { "--name=" }, new[] { "--name", "" })]
    [TestCase(new[] { "--header", "A: b", "--header", "C: d" }, new[] { "--header", "A: b", "--header", "C: d" })]
    [TestCase(new[] { "--part", "a", "b", "c", "--insecure" }, new[] { "--part", "a", "--part", "b", "--part", "c", "--insecure" })]
    [TestCase(new[] { "--part", "a", "--part", "b" }, new[] { "--part", "a", "--part", "b" })]
    public void Check_GoodArguments_NoProblemValuesThatLookLikeOptionsAttached(string[] args, string[] expected)
    {
        string? problem = Check(args, out string[] normalized);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Null);
            Assert.That(normalized, Is.EqualTo(expected));
        });
    }

    [TestCase(new[] { "stray" }, "argument 'stray': must be an option (--name value); see --help")]
    [TestCase(new[] { "--header", "A: b", "C: d" }, "argument 'C: d': must be an option (--name value); see --help")]
    [TestCase(new[] { "-" }, "argument '-': must be an option (--name value); see --help")]
    [TestCase(new[] { "--bogus", "1" }, "--bogus: not an option; must be one of --count, --header, --insecure, --name, --part, --ratio (see --help)")]
    [TestCase(new[] { "-c", "1" }, "-c: not an option; must be one of --count, --header, --insecure, --name, --part, --ratio (see --help)")]
    [TestCase(new[] { "--count", "3", "--count", "4" }, "--count '4': given twice; must be given at most once (only --header, --part may repeat)")]
    [TestCase(new[] { "--insecure", "--insecure" }, "--insecure: given twice; must be given at most once (only --header, --part may repeat)")]
    [TestCase(new[] { "--insecure=yes" }, "--insecure 'yes': must be given without a value (it is a switch)")]
    [TestCase(new[] { "--name" }, "--name: no value given; must be followed by a value")]
    [TestCase(new[] { "--count", "--name", "x" }, "--count: no value given; must be a whole number from 1 to 9")]
    [TestCase(new[] { "--count", "1,5" }, "--count '1,5': must be a whole number from 1 to 9")]
    [TestCase(new[] { "--count", "1e3" }, "--count '1e3': must be a whole number from 1 to 9")]
    [TestCase(new[] { "--count", "99999999999" }, "--count '99999999999': must be a whole number from 1 to 9")]
    [TestCase(new[] { "--ratio", "1,5" }, "--ratio '1,5': must be a number, written with digits and a dot for decimals")]
    [TestCase(new[] { "--name", "a\u001b[2Jb", "x" }, "argument 'x': must be an option (--name value); see --help")]
    [TestCase(new[] { "--bad\nname" }, "--bad\\x0Aname: not an option; must be one of --count, --header, --insecure, --name, --part, --ratio (see --help)")]
    public void Check_BadArguments_FirstProblemInOneLine(string[] args, string expected)
    {
        string? problem = Check(args, out _);

        Assert.That(problem, Is.EqualTo(expected));
    }

    [TestCase("--help")]
    [TestCase("--version")]
    public void Check_HelpOrVersionAfterAProblem_WinsAlone(string wanted)
    {
        string? problem = Check(["--bogus", "--count", "x", wanted, "more"], out string[] normalized);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Null);
            Assert.That(normalized, Is.EqualTo(new[] { wanted }));
        });
    }

    private static string? Check(string[] args, out string[] normalized) =>
        ArgumentScan.Check(typeof(Options), args, option => option == "--count" ? "must be a whole number from 1 to 9" : null, out normalized);

    private sealed class Options
    {
        [Option("count")]
        public int Count { get; set; }

        [Option("ratio")]
        public double? Ratio { get; set; }

        [Option("name")]
        public string? Name { get; set; }

        [Option("header")]
        public IEnumerable<string> Headers { get; set; } = [];

        [ValueList]
        [Option("part")]
        public IEnumerable<string> Parts { get; set; } = [];

        [Option("insecure")]
        public bool Insecure { get; set; }
    }
}
