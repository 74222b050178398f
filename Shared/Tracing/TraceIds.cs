using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Tracing;

/// <summary>Id normalisation and JSON loading shared by the trace parsers.</summary>
internal static partial class TraceIds
{
    /// <summary>Characters of a server's own text (an error message, a bad id) quoted in a one-line message.</summary>
    public const int MaxQuotedChars = 200;

    /// <summary>
    /// Lowercase hex, left-padded to <paramref name="hexLength"/> so a 64-bit Jaeger id compares with a W3C id.
    /// OTLP JSON from the Jaeger gateway uses hex; protobuf-JSON proper uses base64, so that is accepted too.
    /// Returns null when the text is neither.
    /// </summary>
    public static string? Normalize(string? id, int hexLength)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        id = id.Trim();
        if (id.Length <= hexLength && HexRegex().IsMatch(id))
        {
            return id.ToLowerInvariant().PadLeft(hexLength, '0');
        }

        try
        {
            var bytes = Convert.FromBase64String(id);
            if (bytes.Length == 0 || bytes.Length * 2 > hexLength)
            {
                return null;
            }

            return Convert.ToHexStringLower(bytes).PadLeft(hexLength, '0');
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static string? NormalizeTraceId(string? id) => Normalize(id, 32);

    public static string? NormalizeSpanId(string? id) => Normalize(id, 16);

    /// <summary>Parses JSON without Newtonsoft's date guessing, so every string stays a string.</summary>
    public static JToken Load(string json, string what)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new TraceParseException($"{what}: empty body");
        }

        try
        {
            using var reader = new JsonTextReader(new StringReader(json))
            {
                DateParseHandling = DateParseHandling.None,
                FloatParseHandling = FloatParseHandling.Double,
            };
            var token = JToken.Load(reader);
            // A second value after the first means this was not one JSON document.
            if (reader.Read() && reader.TokenType != JsonToken.Comment)
            {
                throw new TraceParseException($"{what}: extra content after the JSON value");
            }

            return token;
        }
        catch (JsonException ex)
        {
            throw new TraceParseException($"{what}: not JSON ({SafeText.Excerpt(ex.Message, 100)})", ex);
        }
    }

    /// <summary>Loads <paramref name="json"/> as an object and parses it with <paramref name="parse"/>, turning
    /// every surprise in the data (wrong types, bad numbers) into a <see cref="TraceParseException"/>.</summary>
    public static T ParseObject<T>(string json, string what, Func<JObject, T> parse)
    {
        var root = Load(json, what);
        if (root is not JObject obj)
        {
            throw new TraceParseException($"{what}: expected a JSON object, got {root.Type}");
        }

        try
        {
            return parse(obj);
        }
        // InvalidOperationException: Newtonsoft's answer to indexing a number or string as if it were an object.
        catch (Exception ex) when (ex is InvalidCastException or FormatException or OverflowException or ArgumentException or InvalidOperationException)
        {
            throw new TraceParseException($"{what}: unexpected value ({SafeText.Excerpt(ex.Message, 100)})", ex);
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]+$")]
    private static partial Regex HexRegex();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRegex();
}
