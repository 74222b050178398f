using PerfTools.Shared.Text;

namespace PerfTools.Shared.Cli;

/// <summary>The entry sequence the three tools share: read the secrets from the environment, mask them (and those of
/// the command line) in everything printed, parse, validate, then run; each tool declares only its steps.</summary>
/// <remarks>Nothing is sent before <see cref="Validate"/> passed: help, the version and every usage error (one line
/// <c>tool: problem</c>, exit 2) end the run first (STYLE habit 11).</remarks>
/// <typeparam name="TOptions">The CommandLineParser options class.</typeparam>
/// <typeparam name="TSettings">What <see cref="Validate"/> makes of the options: every value usable.</typeparam>
public sealed class ToolApp<TOptions, TSettings>
    where TOptions : class
    where TSettings : class
{
    /// <summary>The settings, or null with <paramref name="problem"/> set to the line to print (without the tool prefix).</summary>
    /// <param name="secrets">The value of each of <see cref="SecretVariables"/> (null when unset).</param>
    public delegate TSettings? Validator(TOptions options, IReadOnlyDictionary<string, string?> secrets, out string problem);

    /// <summary>The tool's command name, the prefix of every usage error (<c>performance_analyzer</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Environment variables that hold credentials (<c>JAEGER_TOKEN</c>): masked in every line printed.</summary>
    public IReadOnlyList<string> SecretVariables { get; init; } = [];

    /// <summary>What the tool allows for an option, for the parser's messages (see <see cref="CommandLineRunner.Run{TOptions}"/>).</summary>
    public required Func<string, string?> Allowed { get; init; }

    /// <summary>Lines <c>--help</c> shows after the options (a list the option's help text cannot hold).</summary>
    public IReadOnlyList<string> HelpFooter { get; init; } = [];

    public required Validator Validate { get; init; }

    /// <param name="run">The tool's work, with the validated settings and the masking writers; returns the exit code.</param>
    /// <returns>An <see cref="ExitCodes"/> value: <see cref="ExitCodes.Usage"/> on a usage error, or what
    /// <paramref name="run"/> returned.</returns>
    public async Task<int> RunAsync(
        string[] args, TextWriter stdout, TextWriter stderr, Func<ToolRun<TOptions, TSettings>, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(run);

        // Read before parsing so that every line printed, a usage error included, is masked.
        Dictionary<string, string?> secrets = SecretVariables.ToDictionary(v => v, Environment.GetEnvironmentVariable, StringComparer.Ordinal);
        Redactor redactor = Redactor.ForCommandLine(args, [.. secrets.Values]);
        using RedactingWriter safeStdout = redactor.Wrap(stdout);
        using RedactingWriter safeStderr = redactor.Wrap(stderr);

        TOptions? parsed = null;
        int code = CommandLineRunner.Run<TOptions>(Name, args, options =>
        {
            parsed = options;
            return ExitCodes.Ok;
        }, safeStdout, safeStderr, Allowed, HelpFooter);
        if (parsed is null)
        {
            return code; // --help, --version or a parse error, already printed
        }

        TSettings? settings = Validate(parsed, secrets, out string problem);
        if (settings is null)
        {
            safeStderr.WriteLine($"{Name}: {SafeText.OneLine(problem)}");
            return ExitCodes.Usage;
        }

        return await run(new ToolRun<TOptions, TSettings>(parsed, settings, safeStdout, safeStderr, redactor, secrets)).ConfigureAwait(false);
    }
}

/// <summary>What a tool's run step gets from <see cref="ToolApp{TOptions, TSettings}"/>: the options as parsed, the
/// validated settings, the console writers that mask every secret, the masking itself, and the secrets read.</summary>
/// <param name="Options">As parsed, for switches that need no validation (<c>--insecure</c>).</param>
/// <param name="Secrets">The value of each of the tool's <see cref="ToolApp{TOptions, TSettings}.SecretVariables"/>.</param>
public sealed record ToolRun<TOptions, TSettings>(
    TOptions Options,
    TSettings Settings,
    TextWriter Stdout,
    TextWriter Stderr,
    Redactor Redactor,
    IReadOnlyDictionary<string, string?> Secrets);
