using PerfTools.Shared.Cli;
using PerfTools.Shared.Http;

namespace PerfTools.BottleneckDetector;

/// <summary>The detector's entry, apart from the process: parse, validate (nothing sent on a mistake), analyse.
/// Program.cs hands it the console and a token cancelled by Ctrl+C or SIGTERM; tests hand it string writers and
/// fake analyzers.</summary>
internal static class DetectorApp
{
    public const string ToolName = "bottleneck_detector";

    /// <param name="metrics">The Prometheus side; null for the wired-in one.</param>
    /// <param name="traces">The Jaeger side; null for the wired-in one.</param>
    /// <param name="interactive">stdout is a terminal: colour, unless NO_COLOR is set.</param>
    /// <returns>An <see cref="ExitCodes"/> value; <see cref="ExitCodes.Interrupted"/> when <paramref name="ct"/> stopped the run.</returns>
    public static async Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken ct,
        IMetricsAnalyzer? metrics = null,
        ITracesAnalyzer? traces = null,
        bool interactive = false)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        // Read before parsing so that every line printed, a usage error included, is masked.
        string? prometheusToken = Environment.GetEnvironmentVariable("PROMETHEUS_TOKEN");
        string? jaegerToken = Environment.GetEnvironmentVariable("JAEGER_TOKEN");
        Redactor redactor = Redactor.ForCommandLine(args, prometheusToken, jaegerToken);
        using RedactingWriter safeStdout = redactor.Wrap(stdout);
        using RedactingWriter safeStderr = redactor.Wrap(stderr);
        stdout = safeStdout;
        stderr = safeStderr;

        DetectorOptions? parsed = null;
        int code = CommandLineRunner.Run<DetectorOptions>(ToolName, args, options =>
        {
            parsed = options;
            return ExitCodes.Ok;
        }, stdout, stderr, OptionValidator.Allowed);
        if (parsed is null)
        {
            return code; // --help, --version or a parse error, already printed
        }

        DetectorSettings? settings = OptionValidator.Validate(
            parsed, TimeProvider.System.GetUtcNow(), prometheusToken, jaegerToken, out string problem);
        if (settings is null)
        {
            stderr.WriteLine($"{ToolName}: {problem}");
            return ExitCodes.Usage;
        }

        // https://no-color.org: any non-empty value turns colour off.
        bool colour = interactive && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        // Both follow redirects only within their origin and refuse a bad certificate unless --insecure.
        var timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        // JaegerClient enforces its own per-request timeout, reading the body included.
        using var http = new HttpClient(OutboundPolicyHandler.Create(timeout, parsed.Insecure))
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        // PrometheusClient takes its per-request limit from HttpClient.Timeout and applies it to the body too.
        using var prometheusHttp = new HttpClient(OutboundPolicyHandler.Create(timeout, parsed.Insecure))
        {
            Timeout = timeout,
        };
        var command = new DetectCommand(
            settings,
            metrics ?? new PrometheusMetricsAnalyzer(prometheusHttp, TimeProvider.System, stderr),
            traces ?? new JaegerTracesAnalyzer(http, TimeProvider.System),
            stdout,
            stderr,
            colour,
            redactor,
            TimeProvider.System);
        return await command.ExecuteAsync(ct).ConfigureAwait(false);
    }
}
