using CsvHelper;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Reports;

/// <summary>The one error the report readers throw for a file they cannot read: an <see cref="InvalidDataException"/> whose message is one line.</summary>
/// <remarks>Later runs read reports back (baselines), so a damaged or foreign file must say what is wrong with it, not crash
/// with whatever the JSON or CSV library or a number parser happened to throw.</remarks>
internal static class ReportReadError
{
    private const int MaxProblemChars = 200;

    /// <summary><c>report: problem</c>, the problem on one line.</summary>
    public static InvalidDataException Create(string report, string problem, Exception? inner = null) =>
        new($"{report}: {SafeText.Excerpt(problem, MaxProblemChars)}", inner);

    /// <summary>What the JSON and CSV libraries and the invariant-culture parsers throw for data that is not what the reader expects.</summary>
    public static bool IsDataError(Exception e) =>
        e is JsonException or CsvFormatException or FormatException or OverflowException or InvalidCastException or ArgumentException
            or KeyNotFoundException // CsvHelper: the header lacks a column
            or NotSupportedException; // CsvHelper: a UTF-16 or UTF-32 byte order mark

    /// <summary>The one JSON object <paramref name="source"/> holds, or the report's error: not JSON, more than one
    /// document (two files run together, or a write gone wrong), or another kind of value than an object.</summary>
    /// <param name="expected">What the object holds, for the message (<c>an object of label -> [ms, ...]</c>).</param>
    public static JObject ReadJsonObject(Stream source, string report, string expected = "an object")
    {
        ArgumentNullException.ThrowIfNull(source);
        JToken token;
        try
        {
            using var text = new StreamReader(source, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
            using var json = new JsonTextReader(text)
            {
                FloatParseHandling = FloatParseHandling.Double,
                DateParseHandling = DateParseHandling.None,
            };
            token = JToken.ReadFrom(json);
            json.Read(); // throws when more than whitespace or comments follows
        }
        catch (JsonException e)
        {
            throw Create(report, $"not JSON: {e.Message}", e);
        }

        return token as JObject ?? throw Create(report, $"{Kind(token)}, not {expected}");
    }

    /// <summary>Reads <paramref name="path"/>; an unreadable content names the file.</summary>
    public static T FromFile<T>(string path, Func<Stream, T> read)
    {
        using var stream = File.OpenRead(path);
        try
        {
            return read(stream);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>What a JSON value is, for "is ..., not ..." messages.</summary>
    public static string Kind(JToken token) => token.Type switch
    {
        JTokenType.Object => "an object",
        JTokenType.Array => "an array",
        JTokenType.Integer or JTokenType.Float => "a number",
        JTokenType.String => "text",
        JTokenType.Boolean => "true or false",
        JTokenType.Null => "null",
        _ => token.Type.ToString(),
    };

}
