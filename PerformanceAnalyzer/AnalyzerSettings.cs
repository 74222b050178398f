using PerfTools.Shared.Comparison;


namespace PerfTools.PerformanceAnalyzer;

/// <summary>The command line after validation: every value here is usable, so the run itself never re-checks.</summary>
/// <param name="Endpoint">The path for --endpoint mode; null for --test-all.</param>
/// <param name="Headers">Sent with every request, in command-line order.</param>
/// <param name="Warmup">Warm-up requests per endpoint (<c>--warmup N</c>); null for auto (<see cref="WarmupRule"/>).</param>
/// <param name="Body">The --data bytes (read from the file for @file); null for none.</param>
/// <param name="Insecure">Accept any TLS certificate (<c>--insecure</c>), for the target and for Jaeger.</param>
/// <param name="Baseline">The run to compare with (<c>--baseline</c>, read before anything is sent); null for none.</param>
/// <param name="Alpha">Significance level of the comparison.</param>
/// <param name="MaxRegressionPct">The regression gate: the largest allowed rise of a significantly slower p50, %.</param>
/// <param name="MinChangePct">The comparison's threshold: a change within ± this many percent is no change.</param>
internal sealed record AnalyzerSettings(
    Uri BaseUrl,
    Uri JaegerUrl,
    string? Endpoint,
    string Method,
    int Iterations,
    string OutputFolder,
    int Concurrency,
    int DelayMs,
    int? Warmup,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[]? Body,
    double TimeoutSeconds,
    double? MaxP95Ms,
    bool Insecure = false,
    AnalyzerBaseline? Baseline = null,
    double Alpha = LatencyComparer.DefaultAlpha,
    double? MaxRegressionPct = null,
    double MinChangePct = LatencyComparer.DefaultMinChangePct)
{
    public bool TestAll => Endpoint is null;

    /// <summary>The absolute URL of <paramref name="path"/> under the base URL (which may itself have a path prefix).</summary>
    public Uri UrlFor(string path) => new(BaseUrl.AbsoluteUri.TrimEnd('/') + path);
}
