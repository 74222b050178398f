using System.Globalization;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Tracing;

/// <summary>
/// Reads Jaeger v1 query JSON (<c>GET /api/traces/{id}</c>, <c>GET /api/traces?…</c>): the envelope
/// <c>{"data":[trace…]}</c> or one bare trace object <c>{"traceID","spans","processes"}</c> as the UI saves it.
/// </summary>
public static class JaegerV1Parser
{
    /// <summary>Parses the body into traces grouped by normalised trace id; throws only <see cref="TraceParseException"/>.</summary>
    public static IReadOnlyList<Trace> Parse(string json) => TraceIds.ParseObject(json, "Jaeger v1 response", ParseObject);

    private static IReadOnlyList<Trace> ParseObject(JObject obj)
    {
        IEnumerable<JToken> traceObjects;
        if (obj.ContainsKey("data"))
        {
            if (obj["data"] is JArray data)
            {
                traceObjects = data;
            }
            else if (JaegerErrorBody.TryParse(obj, out var error))
            {
                throw new TraceParseException($"Jaeger v1 error {error.Code}: {SafeText.Excerpt(error.Message, TraceIds.MaxQuotedChars)}");
            }
            else
            {
                throw new TraceParseException("Jaeger v1 response: \"data\" is not an array");
            }
        }
        else if (obj["spans"] is JArray)
        {
            traceObjects = [obj];
        }
        else
        {
            throw new TraceParseException("Jaeger v1 response: neither {\"data\":[…]} nor a trace object with \"spans\"");
        }

        var spans = new List<Span>();
        foreach (var traceToken in traceObjects)
        {
            if (traceToken is not JObject trace)
            {
                throw new TraceParseException("Jaeger v1 response: a trace is not a JSON object");
            }

            var services = ReadProcesses(trace["processes"] as JObject);
            if (trace["spans"] is not JArray spanArray)
            {
                throw new TraceParseException("Jaeger v1 response: a trace has no \"spans\" array");
            }

            var traceId = (string?)trace["traceID"];
            foreach (var spanToken in spanArray)
            {
                if (spanToken is not JObject span)
                {
                    throw new TraceParseException("Jaeger v1 response: a span is not a JSON object");
                }

                spans.Add(ReadSpan(span, traceId, services));
            }
        }

        return Group(spans);
    }

    internal static IReadOnlyList<Trace> Group(IEnumerable<Span> spans) =>
        spans
            .GroupBy(s => s.TraceId, StringComparer.Ordinal)
            .Select(g => new Trace(g.Key, g.ToList()))
            .ToList();

    private static Dictionary<string, string> ReadProcesses(JObject? processes)
    {
        var services = new Dictionary<string, string>(StringComparer.Ordinal);
        if (processes is null)
        {
            return services;
        }

        foreach (var (processId, process) in processes)
        {
            if ((string?)(process as JObject)?["serviceName"] is { } name)
            {
                services[processId] = name;
            }
        }

        return services;
    }

    private static Span ReadSpan(JObject span, string? envelopeTraceId, Dictionary<string, string> services)
    {
        var rawTraceId = (string?)span["traceID"] ?? envelopeTraceId;
        var traceId = TraceIds.NormalizeTraceId(rawTraceId)
            ?? throw new TraceParseException($"Jaeger v1 response: bad traceID '{SafeText.Excerpt(rawTraceId, 40)}'");
        var rawSpanId = (string?)span["spanID"];
        var spanId = TraceIds.NormalizeSpanId(rawSpanId)
            ?? throw new TraceParseException($"Jaeger v1 response: bad spanID '{SafeText.Excerpt(rawSpanId, 40)}'");

        var tags = ReadTags(span["tags"] as JArray);
        var processId = (string?)span["processID"];
        var service = processId is not null && services.TryGetValue(processId, out var name)
            ? name
            // Some exports inline the process on the span instead of the trace's process map.
            : (string?)(span["process"] as JObject)?["serviceName"] ?? OtlpJsonParser.UnknownService;

        var hasError = tags.TryGetValue("error", out var error)
            && string.Equals(error, "true", StringComparison.OrdinalIgnoreCase);
        tags.TryGetValue("span.kind", out var kind);

        return new Span(
            traceId,
            spanId,
            ReadParent(span["references"] as JArray, traceId) ?? TraceIds.NormalizeSpanId((string?)span["parentSpanID"]),
            service,
            (string?)span["operationName"] ?? "",
            (long?)span["startTime"] ?? 0, // µs since the epoch, as Jaeger v1 sends it
            (long?)span["duration"] ?? 0, // µs
            string.IsNullOrEmpty(kind) ? null : kind.ToLowerInvariant(),
            tags,
            hasError);
    }

    /// <summary>CHILD_OF before FOLLOWS_FROM, and within each a reference into the same trace first.</summary>
    private static string? ReadParent(JArray? references, string traceId)
    {
        if (references is null)
        {
            return null;
        }

        var parent = references
            .OfType<JObject>()
            .Select(r => new
            {
                Type = (string?)r["refType"],
                TraceId = TraceIds.NormalizeTraceId((string?)r["traceID"]),
                SpanId = TraceIds.NormalizeSpanId((string?)r["spanID"]),
            })
            .Where(r => r.SpanId is not null && r.Type is "CHILD_OF" or "FOLLOWS_FROM")
            .OrderBy(r => r.Type == "CHILD_OF" ? 0 : 1)
            .ThenBy(r => r.TraceId == traceId ? 0 : 1)
            .FirstOrDefault();
        return parent?.SpanId;
    }

    private static Dictionary<string, string> ReadTags(JArray? tags)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (tags is null)
        {
            return result;
        }

        foreach (var tag in tags.OfType<JObject>())
        {
            if ((string?)tag["key"] is { } key)
            {
                result[key] = ValueToString(tag["value"]);
            }
        }

        return result;
    }

    /// <summary>Typed tag values (string, bool, int64, float64, binary as base64) as invariant-culture text.</summary>
    internal static string ValueToString(JToken? value) => value switch
    {
        null => "",
        JValue { Type: JTokenType.Null } => "",
        JValue { Type: JTokenType.Boolean } v => (bool)v! ? "true" : "false",
        JValue { Type: JTokenType.Integer } v => Convert.ToString(v.Value, CultureInfo.InvariantCulture) ?? "",
        JValue { Type: JTokenType.Float } v => ((double)v!).ToString("R", CultureInfo.InvariantCulture),
        JValue v => Convert.ToString(v.Value, CultureInfo.InvariantCulture) ?? "",
        _ => value.ToString(Newtonsoft.Json.Formatting.None),
    };
}
