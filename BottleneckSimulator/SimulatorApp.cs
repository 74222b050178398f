using PerfTools.BottleneckSimulator.Scenarios;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Http;

namespace PerfTools.BottleneckSimulator;

/// <summary>The simulator's entry, apart from the process: parse, validate (nothing sent on a mistake), run.
/// Program.cs hands it the console and a token cancelled by Ctrl+C or SIGTERM; tests hand it string writers.</summary>
public static class SimulatorApp
{
    public const string ToolName = "simulate_bottleneck";

    private static readonly ToolApp<SimulatorOptions, SimulatorSettings> App = new()
    {
        Name = ToolName,
        Allowed = OptionValidator.Allowed,
        HelpFooter = ScenarioRegistry.HelpLines(),
        Validate = (SimulatorOptions options, IReadOnlyDictionary<string, string?> _, out string problem) =>
            OptionValidator.Validate(options, TimeProvider.System.GetUtcNow(), out problem),
    };

    /// <param name="interactive">stdout is a terminal: the live line is rewritten in place instead of printed each second.</param>
    /// <returns>An <see cref="ExitCodes"/> value; <see cref="ExitCodes.Interrupted"/> when <paramref name="ct"/> stopped the run.</returns>
    public static Task<int> RunAsync(
        string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct, bool interactive = false) =>
        RunAsync(args, stdout, stderr, ct, interactive, observe: null);

    /// <param name="observe">Sees every request sent, setup included (for tests).</param>
    internal static Task<int> RunAsync(
        string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct, bool interactive, Action<RequestResult>? observe) =>
        App.RunAsync(args, stdout, stderr, run =>
        {
            SimulatorSettings settings = run.Settings with
            {
                Headers = UrlCredentials.WithBasicAuthorization(run.Settings.BaseUrl, run.Settings.Headers),
                // Not an option to validate, so it joins the settings here rather than in the validator.
                Insecure = run.Options.Insecure,
            };
            if (settings.Merge is { } merge)
            {
                return Task.FromResult(new MergeCommand(merge, settings.Output, run.Stdout, run.Stderr, run.Redactor, TimeProvider.System).Execute());
            }

            var command = new SimulateCommand(settings, run.Stdout, run.Stderr, interactive, run.Redactor, TimeProvider.System, observe);
            return command.ExecuteAsync(ct);
        });
}
