using CommandLine;
using CommandLine.Text;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Cli;

/// <summary>Parses a tool's arguments with CommandLineParser and maps the outcome to the project's exit codes.</summary>
/// <remarks>
/// CommandLineParser prints its whole help screen on any mistake; a user who typed one wrong option wants one
/// line naming it, so the parser's own writer is off and errors are formatted here.
/// </remarks>
public static class CommandLineRunner
{
    /// <param name="allowed">What the tool allows for an option (<c>--iterations</c> → <c>must be a whole number from 1
    /// to 1000000</c>), so a malformed or missing value is answered with the same words as an out-of-range one.</param>
    /// <param name="helpFooter">Lines <c>--help</c> shows after the options: what an attribute's constant help text
    /// cannot hold (the simulator's scenarios, from their registry).</param>
    public static int Run<TOptions>(
        string toolName,
        string[] args,
        Func<TOptions, int> run,
        TextWriter? stdout = null,
        TextWriter? stderr = null,
        Func<string, string?>? allowed = null,
        IReadOnlyList<string>? helpFooter = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        string? problem = ArgumentScan.Check(typeof(TOptions), args, allowed ?? (_ => null), out string[] normalized);
        if (problem is not null)
        {
            stderr.WriteLine($"{toolName}: {SafeText.OneLine(problem)}");
            return ExitCodes.Usage;
        }

        using var parser = new Parser(settings =>
        {
            settings.HelpWriter = null;
            settings.CaseInsensitiveEnumValues = true;
            settings.AllowMultiInstance = true; // --header may be given several times
            settings.AutoVersion = true;
            settings.AutoHelp = true;
        });
        var result = parser.ParseArguments<TOptions>(normalized);
        return result.MapResult(run, errors => ReportErrors(toolName, result, errors.ToList(), stdout, stderr, helpFooter ?? []));
    }

    private static int ReportErrors<TOptions>(
        string toolName,
        ParserResult<TOptions> result,
        IReadOnlyList<Error> errors,
        TextWriter stdout,
        TextWriter stderr,
        IReadOnlyList<string> helpFooter)
    {
        if (errors.Any(e => e.Tag == ErrorType.VersionRequestedError))
        {
            stdout.WriteLine(HeadingInfo.Default);
            return ExitCodes.Ok;
        }

        if (errors.Any(e => e.Tag == ErrorType.HelpRequestedError))
        {
            var help = HelpText.AutoBuild(result, h =>
            {
                h.AdditionalNewLineAfterOption = false;
                h.AddDashesToOption = true;
                h.MaximumDisplayWidth = 110;
                h.Heading = $"{toolName} (PerfTools)";
                h.Copyright = string.Empty;
                if (helpFooter.Count > 0)
                {
                    h.AddPostOptionsLines(helpFooter);
                }

                return h;
            }, e => e);
            stdout.WriteLine(help);
            return ExitCodes.Ok;
        }

        // ArgumentScan catches what users get wrong; this is the parser's word on anything left, one line only.
        var sentences = SentenceBuilder.Create();
        stderr.WriteLine($"{toolName}: {SafeText.OneLine(sentences.FormatError(errors[0]))} Run '{toolName} --help' for the options.");
        return ExitCodes.Usage;
    }
}
