using PerfTools.Shared.Cli;

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
            parsed, TimeProvider.System.GetUtcNow(),
            Environment.GetEnvironmentVariable("PROMETHEUS_TOKEN"), Environment.GetEnvironmentVariable("JAEGER_TOKEN"),
            out string problem);
        if (settings is null)
        {
            stderr.WriteLine($"{ToolName}: {problem}");
            return ExitCodes.Usage;
        }

        // https://no-color.org: any non-empty value turns colour off.
        bool colour = interactive && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        // JaegerClient enforces its own per-request timeout.
        using var http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(settings.TimeoutSeconds),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        // PrometheusClient relies on HttpClient.Timeout for its per-request limit.
        using var prometheusHttp = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds),
        };
        var command = new DetectCommand(
            settings,
            metrics ?? new PrometheusMetricsAnalyzer(prometheusHttp, TimeProvider.System, stderr),
            traces ?? new JaegerTracesAnalyzer(http, TimeProvider.System),
            stdout,
            stderr,
            colour,
            TimeProvider.System);
        return await command.ExecuteAsync(ct).ConfigureAwait(false);
    }
}
