using System.Globalization;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Tracing;

/// <summary>
/// Reads OTLP JSON as the Jaeger v3 gateway returns it (<c>{"result":{"resourceSpans":[…]}}</c>) or as an OTLP
/// exporter writes it (<c>{"resourceSpans":[…]}</c>). Times are nanoseconds (strings or numbers), kept as µs.
/// </summary>
public static class OtlpJsonParser
{
    /// <summary>The service name OpenTelemetry uses when a resource has no service.name.</summary>
    public const string UnknownService = "unknown_service";

    /// <summary>Parses the body into traces grouped by normalised trace id; throws only <see cref="TraceParseException"/>.</summary>
    public static IReadOnlyList<Trace> Parse(string json) => TraceIds.ParseObject(json, "OTLP JSON response", ParseObject);

    private static IReadOnlyList<Trace> ParseObject(JObject obj)
    {
        if (JaegerErrorBody.TryParse(obj, out var error))
        {
            throw new TraceParseException($"Jaeger {error.Api} error {error.Code}: {SafeText.Excerpt(error.Message, TraceIds.MaxQuotedChars)}");
        }

        var container = obj["result"] as JObject ?? obj;
        if (container["resourceSpans"] is not JArray resourceSpans)
        {
            throw new TraceParseException("OTLP JSON response: no \"resourceSpans\" array (in \"result\" or at the top)");
        }

        var spans = new List<Span>();
        foreach (var resourceSpan in resourceSpans.OfType<JObject>())
        {
            var resourceAttributes = ReadAttributes((resourceSpan["resource"] as JObject)?["attributes"] as JArray);
            var service = resourceAttributes.TryGetValue("service.name", out var name) && name.Length > 0
                ? name
                : UnknownService;
            // "instrumentationLibrarySpans" is the pre-1.0 OTLP name of scopeSpans.
            var scopes = (resourceSpan["scopeSpans"] ?? resourceSpan["instrumentationLibrarySpans"]) as JArray;
            foreach (var scope in scopes?.OfType<JObject>() ?? [])
            {
                foreach (var span in (scope["spans"] as JArray)?.OfType<JObject>() ?? [])
                {
                    spans.Add(ReadSpan(span, service));
                }
            }
        }

        return JaegerV1Parser.Group(spans);
    }

    private static Span ReadSpan(JObject span, string service)
    {
        var rawTraceId = (string?)span["traceId"];
        var traceId = TraceIds.NormalizeTraceId(rawTraceId)
            ?? throw new TraceParseException($"OTLP JSON response: bad traceId '{SafeText.Excerpt(rawTraceId, 40)}'");
        var rawSpanId = (string?)span["spanId"];
        var spanId = TraceIds.NormalizeSpanId(rawSpanId)
            ?? throw new TraceParseException($"OTLP JSON response: bad spanId '{SafeText.Excerpt(rawSpanId, 40)}'");

        var startNanos = ReadNanos(span["startTimeUnixNano"]);
        var endNanos = ReadNanos(span["endTimeUnixNano"]);
        var startMicros = startNanos / 1000;
        var durationMicros = endNanos > startNanos ? (endNanos - startNanos) / 1000 : 0;

        return new Span(
            traceId,
            spanId,
            TraceIds.NormalizeSpanId((string?)span["parentSpanId"]),
            service,
            (string?)span["name"] ?? "",
            startMicros,
            durationMicros,
            ReadKind(span["kind"]),
            ReadAttributes(span["attributes"] as JArray),
            IsError((span["status"] as JObject)?["code"]));
    }

    /// <summary>ns since the epoch; proto-JSON sends 64-bit integers as strings.</summary>
    private static long ReadNanos(JToken? token) => token switch
    {
        null => 0,
        JValue { Type: JTokenType.Integer } v => (long)v!,
        JValue { Type: JTokenType.String } v when long.TryParse((string?)v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ns) => ns,
        JValue { Type: JTokenType.Null } => 0,
        _ => throw new TraceParseException($"OTLP JSON response: bad timestamp '{SafeText.Excerpt(token.ToString(), 40)}'"),
    };

    // SpanKind enum of opentelemetry-proto trace.proto: 0 unspecified … 5 consumer.
    private static readonly string?[] KindNames = [null, "internal", "server", "client", "producer", "consumer"];

    private static string? ReadKind(JToken? token)
    {
        if (token is JValue { Type: JTokenType.Integer } number)
        {
            var n = (long)number!;
            return n >= 0 && n < KindNames.Length ? KindNames[n] : null;
        }

        var text = (string?)token;
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        const string prefix = "SPAN_KIND_";
        var name = text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? text[prefix.Length..] : text;
        name = name.ToLowerInvariant();
        return name == "unspecified" ? null : name;
    }

    // StatusCode of trace.proto: 2 = STATUS_CODE_ERROR.
    private static bool IsError(JToken? code) => code switch
    {
        JValue { Type: JTokenType.Integer } v => (long)v! == 2,
        JValue { Type: JTokenType.String } v => string.Equals((string?)v, "STATUS_CODE_ERROR", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private static Dictionary<string, string> ReadAttributes(JArray? attributes)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in attributes?.OfType<JObject>() ?? [])
        {
            if ((string?)attribute["key"] is { } key)
            {
                result[key] = AnyValueToString(attribute["value"] as JObject);
            }
        }

        return result;
    }

    /// <summary>An OTLP AnyValue as invariant-culture text; arrays and maps as compact JSON.</summary>
    private static string AnyValueToString(JObject? value)
    {
        if (value is null)
        {
            return "";
        }

        if (value["stringValue"] is { } s) return JaegerV1Parser.ValueToString(s);
        if (value["boolValue"] is { } b) return JaegerV1Parser.ValueToString(b);
        if (value["intValue"] is { } i) return JaegerV1Parser.ValueToString(i); // int64 as a string in proto-JSON
        if (value["doubleValue"] is { } d) return JaegerV1Parser.ValueToString(d);
        if (value["bytesValue"] is { } bytes) return JaegerV1Parser.ValueToString(bytes); // base64
        if ((value["arrayValue"] as JObject)?["values"] is JArray array)
        {
            return "[" + string.Join(",", array.OfType<JObject>().Select(AnyValueToString)) + "]";
        }

        if ((value["kvlistValue"] as JObject)?["values"] is JArray map)
        {
            return "{" + string.Join(",", map.OfType<JObject>().Select(kv => $"{(string?)kv["key"]}={AnyValueToString(kv["value"] as JObject)}")) + "}";
        }

        return "";
    }
}
