using PerfTools.Shared.Cli;
using PerfTools.Shared.Http;

namespace PerfTools.PerformanceAnalyzer;

/// <summary>The analyzer's entry, apart from the process: parse, validate (nothing sent on a mistake), run.
/// Program.cs hands it the console and a token cancelled by Ctrl+C; tests hand it string writers.</summary>
public static class AnalyzerApp
{
    public const string ToolName = "performance_analyzer";

    /// <param name="interactive">stdout is a terminal: show the progress line, and colour unless NO_COLOR is set.</param>
    /// <returns>An <see cref="ExitCodes"/> value; <see cref="ExitCodes.Interrupted"/> when <paramref name="ct"/> stopped the run.</returns>
    public static async Task<int> RunAsync(
        string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct, bool interactive = false)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        // Read before parsing so that every line printed, a usage error included, is masked.
        string? token = Environment.GetEnvironmentVariable("JAEGER_TOKEN");
        Redactor redactor = Redactor.ForCommandLine(args, token);
        using RedactingWriter safeStdout = redactor.Wrap(stdout);
        using RedactingWriter safeStderr = redactor.Wrap(stderr);
        stdout = safeStdout;
        stderr = safeStderr;

        AnalyzerOptions? parsed = null;
        int code = CommandLineRunner.Run<AnalyzerOptions>(ToolName, args, options =>
        {
            parsed = options;
            return ExitCodes.Ok;
        }, stdout, stderr, OptionValidator.Allowed);
        if (parsed is null)
        {
            return code; // --help, --version or a parse error, already printed
        }

        AnalyzerSettings? settings = OptionValidator.Validate(parsed, out string problem);
        if (settings is null)
        {
            stderr.WriteLine($"{ToolName}: {problem}");
            return ExitCodes.Usage;
        }

        settings = settings with { Headers = UrlCredentials.WithBasicAuthorization(settings.BaseUrl, settings.Headers) };
        // https://no-color.org: any non-empty value turns colour off.
        bool colour = interactive && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        // Not an option to validate, so it joins the settings here rather than in the validator.
        settings = settings with { Insecure = parsed.Insecure };
        var command = new AnalyzeCommand(settings, stdout, stderr, interactive, colour, token, redactor, TimeProvider.System);
        return await command.ExecuteAsync(ct).ConfigureAwait(false);
    }
}
