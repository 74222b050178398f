using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Http;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Reports.Analyzer;

/// <summary>
/// Writes and reads <c>performance_data_*.json</c> in the original Python script's shape:
/// <c>{"GET /boards/{id}": [12.345, 9.87, ...], ...}</c>, one key per endpoint label, latencies in ms in send order;
/// after them one more key, <c>"warmup"</c>: <c>{"GET /boards/{id}": {"requests": 30, "settled": true}, ...}</c>.
/// </summary>
/// <remarks>A label is always <c>METHOD path</c>, so the one key without a space cannot be an endpoint. Files written
/// before warm-up was reported have no <c>"warmup"</c> key and read as before, with no warm-ups.</remarks>
public static class PerformanceDataJson
{
    /// <summary>The key of the warm-up object, beside the labels.</summary>
    public const string WarmupKey = "warmup";

    private const string Report = "performance data";

    /// <summary>The raw latency samples, ms, of the requests that got a response, per label in first-seen order, each in send order.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<double>> Samples(IEnumerable<RequestResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var byLabel = new OrderedDictionary<string, List<double>>(StringComparer.Ordinal);
        // OrderBy is stable, so results that started in the same tick keep the order they came in.
        foreach (var r in results.Where(r => r.HasResponse).OrderBy(r => r.StartedAt))
        {
            if (!byLabel.TryGetValue(r.Label, out var samples))
            {
                samples = [];
                byLabel.Add(r.Label, samples);
            }

            samples.Add(r.TotalMs);
        }

        var result = new OrderedDictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
        foreach (var (label, samples) in byLabel)
        {
            result.Add(label, samples);
        }

        return result;
    }

    /// <param name="warmups">Each endpoint's warm-up, by label; null or empty writes no <c>"warmup"</c> key.</param>
    public static void Write(
        Stream destination, IReadOnlyDictionary<string, IReadOnlyList<double>> samples,
        IReadOnlyDictionary<string, WarmupOutcome>? warmups = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(samples);
        ReportJson.Write(destination, json =>
        {
            json.WriteStartObject();
            foreach (var (label, values) in samples)
            {
                json.WritePropertyName(label);
                json.WriteStartArray();
                foreach (var ms in values)
                {
                    if (!double.IsFinite(ms))
                    {
                        // JSON has no NaN; Newtonsoft would write a string and break the shape readers expect.
                        throw new ArgumentException($"latency of '{label}' is {ms}, not a finite number", nameof(samples));
                    }

                    json.WriteValue(ms);
                }

                json.WriteEndArray();
            }

            if (warmups is { Count: > 0 })
            {
                json.WritePropertyName(WarmupKey);
                json.WriteStartObject();
                foreach (var (label, warmup) in warmups)
                {
                    json.WritePropertyName(label);
                    json.WriteStartObject();
                    json.WritePropertyName("requests");
                    json.WriteValue(warmup.Requests);
                    json.WritePropertyName("settled");
                    json.WriteValue(warmup.Settled);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        });
    }

    public static void WriteFile(
        string path, IReadOnlyDictionary<string, IReadOnlyList<double>> samples, IReadOnlyDictionary<string, WarmupOutcome>? warmups = null) =>
        AtomicFile.Write(path, stream => Write(stream, samples, warmups));

    /// <summary>Reads the samples back; keys keep their order in the file.</summary>
    /// <exception cref="InvalidDataException">The file is not one JSON object of arrays of finite numbers (and the warm-ups);
    /// one line naming the place.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<double>> Read(Stream source) => ReadAll(source).Samples;

    /// <summary>Reads the warm-ups back, by label in the file's order; empty for a file written before they were reported.</summary>
    /// <exception cref="InvalidDataException">As <see cref="Read"/>.</exception>
    public static IReadOnlyDictionary<string, WarmupOutcome> ReadWarmups(Stream source) => ReadAll(source).Warmups;

    private static (IReadOnlyDictionary<string, IReadOnlyList<double>> Samples, IReadOnlyDictionary<string, WarmupOutcome> Warmups) ReadAll(
        Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        JObject rootObject = ReportReadError.ReadJsonObject(source, Report, "an object of label -> [ms, ...]");

        var result = new OrderedDictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
        IReadOnlyDictionary<string, WarmupOutcome> warmups = new OrderedDictionary<string, WarmupOutcome>(StringComparer.Ordinal);
        foreach (var property in rootObject.Properties())
        {
            if (property.Name == WarmupKey && property.Value is JObject warmupObject)
            {
                warmups = ParseWarmups(warmupObject);
                continue;
            }

            var label = SafeText.Excerpt(property.Name, 80);
            if (property.Value is not JArray array)
            {
                throw ReportReadError.Create(Report, $"{Line(property)}'{label}' is not an array of latencies");
            }

            var values = new List<double>(array.Count);
            foreach (var item in array)
            {
                // (double) and not Value<double>(): an integer too long for a long is a BigInteger, which only the cast converts.
                var ms = item.Type is JTokenType.Float or JTokenType.Integer ? (double)item : double.NaN;
                if (!double.IsFinite(ms))
                {
                    var held = item.Type == JTokenType.Float ? ms.ToString(CultureInfo.InvariantCulture) : item.ToString(Formatting.None);
                    throw ReportReadError.Create(Report, $"{Line(item)}'{label}' holds {held}, not a finite number");
                }

                values.Add(ms);
            }

            result[property.Name] = values;
        }

        return (result, warmups);
    }

    private static OrderedDictionary<string, WarmupOutcome> ParseWarmups(JObject warmupObject)
    {
        var warmups = new OrderedDictionary<string, WarmupOutcome>(StringComparer.Ordinal);
        foreach (var property in warmupObject.Properties())
        {
            var label = SafeText.Excerpt(property.Name, 80);
            JToken? requests = (property.Value as JObject)?["requests"];
            JToken? settled = (property.Value as JObject)?["settled"];
            if (requests is not JValue { Value: long count } || count is < 0 or > int.MaxValue
                || settled is not (null or { Type: JTokenType.Boolean or JTokenType.Null }))
            {
                throw ReportReadError.Create(Report,
                    $"{Line(property.Value)}warm-up of '{label}' is not {{\"requests\": a count, \"settled\": true, false or null}}");
            }

            warmups[property.Name] = new WarmupOutcome((int)count, settled?.Type == JTokenType.Boolean ? (bool)settled : null);
        }

        return warmups;
    }

    /// <exception cref="InvalidDataException">As <see cref="Read"/>, the message starting with the path.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<double>> ReadFile(string path) => ReportReadError.FromFile(path, Read);

    /// <exception cref="InvalidDataException">As <see cref="Read"/>, the message starting with the path.</exception>
    public static IReadOnlyDictionary<string, WarmupOutcome> ReadWarmupsFile(string path) => ReportReadError.FromFile(path, ReadWarmups);

    private static string Line(JToken token) =>
        token is IJsonLineInfo { } info && info.HasLineInfo() ? string.Create(CultureInfo.InvariantCulture, $"line {info.LineNumber}: ") : "";
}
