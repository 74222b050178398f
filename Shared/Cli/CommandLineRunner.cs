using CommandLine;
using CommandLine.Text;

namespace PerfTools.Shared.Cli;

/// <summary>Parses a tool's arguments with CommandLineParser and maps the outcome to the project's exit codes.</summary>
/// <remarks>
/// CommandLineParser prints its whole help screen on any mistake; a user who typed one wrong option wants one
/// line naming it, so the parser's own writer is off and errors are formatted here.
/// </remarks>
public static class CommandLineRunner
{
    public static int Run<TOptions>(
        string toolName,
        string[] args,
        Func<TOptions, int> run,
        TextWriter? stdout = null,
        TextWriter? stderr = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        using var parser = new Parser(settings =>
        {
            settings.HelpWriter = null;
            settings.CaseInsensitiveEnumValues = true;
            settings.AllowMultiInstance = true; // --header may be given several times
            settings.AutoVersion = true;
            settings.AutoHelp = true;
        });
        var result = parser.ParseArguments<TOptions>(args);
        return result.MapResult(run, errors => ReportErrors(toolName, result, errors.ToList(), stdout, stderr));
    }

    private static int ReportErrors<TOptions>(
        string toolName,
        ParserResult<TOptions> result,
        IReadOnlyList<Error> errors,
        TextWriter stdout,
        TextWriter stderr)
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
                return h;
            }, e => e);
            stdout.WriteLine(help);
            return ExitCodes.Ok;
        }

        var sentences = SentenceBuilder.Create();
        foreach (var error in errors)
        {
            stderr.WriteLine($"{toolName}: {sentences.FormatError(error)} Run '{toolName} --help' for the options.");
        }

        return ExitCodes.Usage;
    }
}
