using PerfTools.Shared.Http;
using PerfTools.Shared.Reports;
using PerfTools.Shared.Tracing;

namespace PerfTools.PerformanceAnalyzer;

/// <summary>Explains the slowest requests from their Jaeger traces: what the time went to, by span and query.
/// Prints only what Jaeger returned; when it cannot answer, says so once and moves on.</summary>
internal static class TraceExplainer
{
    public const int MaxTraces = 5;

    public static async Task ExplainAsync(
        JaegerClient jaeger, Uri jaegerUrl, IReadOnlyList<RequestResult> results, TextWriter output, CancellationToken ct)
    {
        var slowest = results
            .Where(r => r.HasResponse && TraceParent.IsValidTraceId(r.TraceId))
            .OrderByDescending(r => r.TotalMicros)
            .DistinctBy(r => r.TraceId)
            .Take(MaxTraces)
            .ToList();
        if (slowest.Count == 0)
        {
            return;
        }

        output.WriteLine();
        bool headed = false;
        foreach (RequestResult request in slowest)
        {
            TraceFetchResult fetch;
            try
            {
                fetch = await jaeger.GetTraceAsync(request.TraceId!, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }

            if (fetch.Status == TraceFetchStatus.Unreachable)
            {
                // The other traces would only wait for the same dead host.
                output.WriteLine($"Jaeger at {jaegerUrl} unreachable ({SafeText.Printable(Reason(fetch.Message))}): slow requests not explained");
                return;
            }

            if (!headed && fetch.Api is not null)
            {
                output.WriteLine($"Slowest requests, explained from their traces (Jaeger {fetch.Api} API)");
                headed = true;
            }

            string what = $"{request.Label} {ConsoleReport.Ms(request.TotalMs)} ms";
            if (fetch is { Status: TraceFetchStatus.Found, Trace: { } trace })
            {
                output.WriteLine($"{what}:");
                foreach (string line in TraceBreakdownFormatter.Format(TraceBreakdown.Analyze(trace), fetch.Api))
                {
                    output.WriteLine("  " + SafeText.Printable(line)); // span names and statements are the server's text
                }
            }
            else
            {
                output.WriteLine($"{what}: {SafeText.Printable(fetch.Message)}");
            }
        }
    }

    /// <summary>The cause from JaegerClient's "Jaeger URL unreachable: cause" line.</summary>
    private static string Reason(string message)
    {
        const string marker = "unreachable: ";
        int at = message.LastIndexOf(marker, StringComparison.Ordinal);
        return at >= 0 ? message[(at + marker.Length)..] : message;
    }
}
