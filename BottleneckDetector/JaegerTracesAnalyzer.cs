using System.Globalization;
using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Tracing;

namespace PerfTools.BottleneckDetector;

/// <summary>The Jaeger side of a run: finds the services, fetches the slowest traces of the window and runs the trace
/// rules over them.</summary>
internal sealed class JaegerTracesAnalyzer(HttpClient http, TimeProvider time) : ITracesAnalyzer
{
    public async Task<TracesAnalysis> AnalyzeAsync(DetectorSettings settings, CancellationToken ct)
    {
        string url = settings.JaegerUrl.AbsoluteUri;
        var client = new JaegerClient(http, settings.JaegerUrl, settings.JaegerToken, TimeSpan.FromSeconds(settings.TimeoutSeconds), time);

        IReadOnlyList<string> services;
        if (settings.Service is { } chosen)
        {
            services = [chosen];
        }
        else
        {
            try
            {
                services = JaegerServices.Applications(await client.GetServicesAsync(ct).ConfigureAwait(false));
            }
            catch (Exception e) when (e is HttpRequestException or TraceParseException
                                          || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                return Unreachable(url, e.Message);
            }
        }

        DateTimeOffset end = settings.At ?? time.GetUtcNow();
        DateTimeOffset start = end - settings.Window;
        var traces = new List<Trace>();
        var problems = new List<string>();
        int searched = 0;
        bool interrupted = false;
        try
        {
            foreach (string service in services)
            {
                TraceSearchResult found = await client
                    .SearchTracesAsync(service, start, end, minDuration: null, settings.Traces, ct).ConfigureAwait(false);
                switch (found.Status)
                {
                    case TraceFetchStatus.Unreachable:
                        return Unreachable(url, found.Message);
                    case TraceFetchStatus.BadResponse:
                        problems.Add($"{service}: {found.Message}");
                        break;
                    case TraceFetchStatus.Found:
                        traces.AddRange(found.Traces);
                        break;
                }

                searched++;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C: the traces of the services already searched are still worth analysing; the status says so.
            problems.Insert(0, string.Create(CultureInfo.InvariantCulture, $"interrupted after {searched} of {services.Count} services"));
            interrupted = true;
        }

        var slowest = traces
            .GroupBy(t => t.TraceId)
            .Select(g => g.First())
            .OrderByDescending(t => t.DurationMicros)
            .Take(settings.Traces)
            .ToList();
        var context = TraceRuleContext.Default with { SlowTraceMs = settings.ThresholdMs, JaegerUrl = settings.JaegerUrl.AbsoluteUri };
        IReadOnlyList<Finding> findings = TraceRules.Evaluate(slowest, context, settings.Traces);
        string? message = problems.Count > 0 ? string.Join("; ", problems) : null;
        var state = interrupted ? SourceState.Interrupted : SourceState.Reachable;
        return new TracesAnalysis(new SourceStatus(url, state, client.ApiVersion, message), services, slowest.Count, findings)
        {
            Statements = Statements(slowest),
        };
    }

    // OpenTelemetry's current attribute names first, then the older ones real traces still carry.
    private static readonly string[] StatementTags = ["db.query.text", "db.statement", "sql.query", "sql"];
    private static readonly string[] SystemTags = ["db.system.name", "db.system"];
    private static readonly string[] NameTags = ["db.namespace", "db.name"];

    /// <summary>The statements of the traces' DB spans, the same text once, with the time their spans took in all.</summary>
    internal static IReadOnlyList<TraceStatement> Statements(IEnumerable<Trace> traces) =>
        traces
            .SelectMany(t => t.Spans)
            .Select(s => (Span: s, Text: Tag(s, StatementTags)))
            .Where(s => s.Text is not null)
            .GroupBy(s => (Text: string.Join(' ', s.Text!.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), System: Tag(s.Span, SystemTags), Name: Tag(s.Span, NameTags)))
            .Select(g => new TraceStatement(g.Key.Text, g.Key.System, g.Key.Name, g.Count(), g.Sum(s => s.Span.DurationMicros) / 1000.0))
            .OrderByDescending(s => s.TotalMs)
            .ToList();

    private static string? Tag(Span span, string[] keys) =>
        keys.Select(k => span.Tags.GetValueOrDefault(k)).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();

    private static TracesAnalysis Unreachable(string url, string message)
    {
        // The client's message names Jaeger and its URL already; the status line around it does too.
        const string marker = " unreachable: ";
        int at = message.IndexOf(marker, StringComparison.Ordinal);
        string reason = message.StartsWith("Jaeger ", StringComparison.Ordinal) && at >= 0 ? message[(at + marker.Length)..] : message;
        return new TracesAnalysis(new SourceStatus(url, false, null, reason), [], 0, []);
    }
}
