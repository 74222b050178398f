using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Http;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Reports.Analyzer;

/// <summary>
/// Writes and reads <c>performance_data_*.json</c> in the original Python script's shape:
/// <c>{"GET /boards/{id}": [12.345, 9.87, ...], ...}</c>, one key per endpoint label, latencies in ms in send order.
/// </summary>
public static class PerformanceDataJson
{
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

    public static void Write(Stream destination, IReadOnlyDictionary<string, IReadOnlyList<double>> samples)
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

            json.WriteEndObject();
        });
    }

    public static void WriteFile(string path, IReadOnlyDictionary<string, IReadOnlyList<double>> samples) =>
        AtomicFile.Write(path, stream => Write(stream, samples));

    /// <summary>Reads the file back; keys keep their order in the file.</summary>
    /// <exception cref="InvalidDataException">The file is not one JSON object of arrays of finite numbers; one line naming the place.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<double>> Read(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        const string Report = "performance data";
        JObject rootObject = ReportReadError.ReadJsonObject(source, Report, "an object of label -> [ms, ...]");

        var result = new OrderedDictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
        foreach (var property in rootObject.Properties())
        {
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

        return result;
    }

    /// <exception cref="InvalidDataException">As <see cref="Read"/>, the message starting with the path.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<double>> ReadFile(string path) => ReportReadError.FromFile(path, Read);

    private static string Line(JToken token) =>
        token is IJsonLineInfo { } info && info.HasLineInfo() ? string.Create(CultureInfo.InvariantCulture, $"line {info.LineNumber}: ") : "";
}
