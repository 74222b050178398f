using PerfTools.Shared.Cli;
using PerfTools.Shared.Http;

namespace PerfTools.BottleneckSimulator;

/// <summary>The simulator's entry, apart from the process: parse, validate (nothing sent on a mistake), run.
/// Program.cs hands it the console and a token cancelled by Ctrl+C or SIGTERM; tests hand it string writers.</summary>
public static class SimulatorApp
{
    public const string ToolName = "simulate_bottleneck";

    /// <param name="interactive">stdout is a terminal: the live line is rewritten in place instead of printed each second.</param>
    /// <returns>An <see cref="ExitCodes"/> value; <see cref="ExitCodes.Interrupted"/> when <paramref name="ct"/> stopped the run.</returns>
    public static Task<int> RunAsync(
        string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct, bool interactive = false) =>
        RunAsync(args, stdout, stderr, ct, interactive, observe: null);

    /// <param name="observe">Sees every request sent, setup included (for tests).</param>
    internal static async Task<int> RunAsync(
        string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct, bool interactive, Action<RequestResult>? observe)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        // Built before parsing so that every line printed, a usage error included, is masked.
        Redactor redactor = Redactor.ForCommandLine(args);
        using RedactingWriter safeStdout = redactor.Wrap(stdout);
        using RedactingWriter safeStderr = redactor.Wrap(stderr);
        stdout = safeStdout;
        stderr = safeStderr;

        SimulatorOptions? parsed = null;
        int code = CommandLineRunner.Run<SimulatorOptions>(ToolName, args, options =>
        {
            parsed = options;
            return ExitCodes.Ok;
        }, stdout, stderr, OptionValidator.Allowed);
        if (parsed is null)
        {
            return code; // --help, --version or a parse error, already printed
        }

        SimulatorSettings? settings = OptionValidator.Validate(parsed, out string problem);
        if (settings is null)
        {
            stderr.WriteLine($"{ToolName}: {problem}");
            return ExitCodes.Usage;
        }

        settings = settings with
        {
            Headers = UrlCredentials.WithBasicAuthorization(settings.BaseUrl, settings.Headers),
            // Not an option to validate, so it joins the settings here rather than in the validator.
            Insecure = parsed.Insecure,
        };
        var command = new SimulateCommand(settings, stdout, stderr, interactive, redactor, TimeProvider.System, observe);
        return await command.ExecuteAsync(ct).ConfigureAwait(false);
    }
}
