using PerfTools.Shared.Cli;
using PerfTools.Shared.Http;

namespace PerfTools.PerformanceAnalyzer;

/// <summary>The analyzer's entry, apart from the process: parse, validate (nothing sent on a mistake), run.
/// Program.cs hands it the console and a token cancelled by Ctrl+C; tests hand it string writers.</summary>
public static class AnalyzerApp
{
    public const string ToolName = "performance_analyzer";

    private const string JaegerToken = "JAEGER_TOKEN";

    private static readonly ToolApp<AnalyzerOptions, AnalyzerSettings> App = new()
    {
        Name = ToolName,
        SecretVariables = [JaegerToken],
        Allowed = OptionValidator.Allowed,
        Validate = (AnalyzerOptions options, IReadOnlyDictionary<string, string?> _, out string problem) =>
            OptionValidator.Validate(options, out problem),
    };

    /// <param name="interactive">stdout is a terminal: show the progress line, and colour unless NO_COLOR is set.</param>
    /// <returns>An <see cref="ExitCodes"/> value; <see cref="ExitCodes.Interrupted"/> when <paramref name="ct"/> stopped the run.</returns>
    public static Task<int> RunAsync(
        string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct, bool interactive = false) =>
        App.RunAsync(args, stdout, stderr, run =>
        {
            AnalyzerSettings settings = run.Settings with
            {
                Headers = UrlCredentials.WithBasicAuthorization(run.Settings.BaseUrl, run.Settings.Headers),
                // Not an option to validate, so it joins the settings here rather than in the validator.
                Insecure = run.Options.Insecure,
            };
            var command = new AnalyzeCommand(
                settings, run.Stdout, run.Stderr, interactive, ConsoleHost.Colour(interactive), run.Secrets[JaegerToken], run.Redactor,
                TimeProvider.System);
            return command.ExecuteAsync(ct);
        });
}
