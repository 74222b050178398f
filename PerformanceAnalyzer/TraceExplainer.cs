using PerfTools.Shared.Http;
using PerfTools.Shared.Text;
using PerfTools.Shared.Tracing;


namespace PerfTools.PerformanceAnalyzer;

/// <summary>Explains the slowest requests from their Jaeger traces: what the time went to, by span and query.
/// Prints only what Jaeger returned; when it cannot answer, says so once and moves on.</summary>
internal static class TraceExplainer
{
    public const int MaxTraces = 5;

    /// <returns>The lines printed (without the blank line before them), for the HTML report; empty when no request
    /// had a trace id to look up.</returns>
    public static async Task<IReadOnlyList<string>> ExplainAsync(
        JaegerClient jaeger, Uri jaegerUrl, IReadOnlyList<RequestResult> results, TextWriter output, CancellationToken ct)
    {
        var printed = new List<string>();
        void Say(string line)
        {
            output.WriteLine(line);
            printed.Add(line);
        }

        var slowest = results
            .Where(r => r.HasResponse && TraceParent.IsValidTraceId(r.TraceId))
            .OrderByDescending(r => r.TotalMicros)
            .DistinctBy(r => r.TraceId)
            .Take(MaxTraces)
            .ToList();
        if (slowest.Count == 0)
        {
            return printed;
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
                return printed;
            }

            if (fetch.Status == TraceFetchStatus.Unreachable)
            {
                // The other traces would only wait for the same dead host.
                Say($"Jaeger at {jaegerUrl} unreachable ({SafeText.Printable(Reason(fetch.Message))}): slow requests not explained");
                return printed;
            }

            if (!headed && fetch.Api is not null)
            {
                Say($"Slowest requests, explained from their traces (Jaeger {fetch.Api} API)");
                headed = true;
            }

            string what = $"{request.Label} {Milliseconds.Text(request.TotalMs)} ms";
            if (fetch is { Status: TraceFetchStatus.Found, Trace: { } trace })
            {
                Say($"{what}:");
                foreach (string line in TraceBreakdownFormatter.Format(TraceBreakdown.Analyze(trace), fetch.Api))
                {
                    Say("  " + SafeText.Printable(line)); // span names and statements are the server's text
                }
            }
            else
            {
                Say($"{what}: {SafeText.Printable(fetch.Message)}");
            }
        }

        return printed;
    }

    /// <summary>The cause from JaegerClient's "Jaeger URL unreachable: cause" line.</summary>
    private static string Reason(string message)
    {
        const string marker = "unreachable: ";
        int at = message.LastIndexOf(marker, StringComparison.Ordinal);
        return at >= 0 ? message[(at + marker.Length)..] : message;
    }
}
