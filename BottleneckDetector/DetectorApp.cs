using PerfTools.Shared.Cli;
using PerfTools.Shared.Http;

namespace PerfTools.BottleneckDetector;

/// <summary>The detector's entry, apart from the process: parse, validate (nothing sent on a mistake), analyse.
/// Program.cs hands it the console and a token cancelled by Ctrl+C or SIGTERM; tests hand it string writers and
/// fake analyzers.</summary>
internal static class DetectorApp
{
    public const string ToolName = "bottleneck_detector";

    private const string PrometheusToken = "PROMETHEUS_TOKEN";
    private const string JaegerToken = "JAEGER_TOKEN";

    /// <summary>Npgsql reads the database's password from here when <c>--database-url</c> has none: masked like a token.</summary>
    private const string PostgresPassword = "PGPASSWORD";

    private static readonly ToolApp<DetectorOptions, DetectorSettings> App = new()
    {
        Name = ToolName,
        SecretVariables = [PrometheusToken, JaegerToken, PostgresPassword],
        Allowed = OptionValidator.Allowed,
        Validate = (DetectorOptions options, IReadOnlyDictionary<string, string?> secrets, out string problem) =>
            OptionValidator.Validate(options, TimeProvider.System.GetUtcNow(), secrets[PrometheusToken], secrets[JaegerToken], out problem),
    };

    /// <param name="metrics">The Prometheus side; null for the wired-in one.</param>
    /// <param name="traces">The Jaeger side; null for the wired-in one.</param>
    /// <param name="database">The database side (<c>--database-url</c>); null for the wired-in one.</param>
    /// <param name="interactive">stdout is a terminal: colour, unless NO_COLOR is set.</param>
    /// <returns>An <see cref="ExitCodes"/> value; <see cref="ExitCodes.Interrupted"/> when <paramref name="ct"/> stopped the run.</returns>
    public static Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken ct,
        IMetricsAnalyzer? metrics = null,
        ITracesAnalyzer? traces = null,
        bool interactive = false,
        Database.IDatabaseAnalyzer? database = null) =>
        App.RunAsync(args, stdout, stderr, async run =>
        {
            DetectorSettings settings = run.Settings;
            // Both follow redirects only within their origin and refuse a bad certificate unless --insecure.
            var timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
            // JaegerClient enforces its own per-request timeout, reading the body included.
            using var http = new HttpClient(OutboundPolicyHandler.Create(timeout, run.Options.Insecure))
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
            // PrometheusClient takes its per-request limit from HttpClient.Timeout and applies it to the body too.
            using var prometheusHttp = new HttpClient(OutboundPolicyHandler.Create(timeout, run.Options.Insecure))
            {
                Timeout = timeout,
            };
            var command = new DetectCommand(
                settings,
                metrics ?? new PrometheusMetricsAnalyzer(prometheusHttp, TimeProvider.System, run.Stderr),
                traces ?? new JaegerTracesAnalyzer(http, TimeProvider.System),
                run.Stdout,
                run.Stderr,
                ConsoleHost.Colour(interactive),
                run.Redactor,
                TimeProvider.System,
                database);
            return await command.ExecuteAsync(ct).ConfigureAwait(false);
        });
}
