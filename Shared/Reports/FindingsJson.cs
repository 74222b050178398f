using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Analysis;

namespace PerfTools.Shared.Reports;

/// <summary>Writes and reads <c>bottleneck_findings_*.json</c>.</summary>
/// <remarks>
/// Shape: <c>{"generated_at", "evaluated_at", "window", "prometheus": {"url","reachable","version","message",
/// "discovered": {role: description}}, "jaeger": {"url","reachable","api","message"}, "findings": [{"rule","severity",
/// "target","value","unit","threshold","evidence","recommendation"}]}</c>; severities in lower case, numbers in the
/// invariant culture, times in ISO 8601.
/// </remarks>
public static class FindingsJson
{
    public static void Write(Stream destination, DetectionSummary summary)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(summary);
        var root = new JObject
        {
            ["generated_at"] = summary.GeneratedAt.ToString("o", CultureInfo.InvariantCulture),
            ["evaluated_at"] = summary.EvaluatedAt?.ToString("o", CultureInfo.InvariantCulture),
            ["window"] = summary.Window,
            ["prometheus"] = new JObject
            {
                ["url"] = summary.Prometheus.Url,
                ["reachable"] = summary.Prometheus.Reachable,
                ["version"] = summary.Prometheus.Api,
                ["message"] = summary.Prometheus.Message,
                ["discovered"] = new JObject(summary.Discovered.Select(d => new JProperty(d.Key, d.Value))),
            },
            ["jaeger"] = new JObject
            {
                ["url"] = summary.Jaeger.Url,
                ["reachable"] = summary.Jaeger.Reachable,
                ["api"] = summary.Jaeger.Api,
                ["message"] = summary.Jaeger.Message,
            },
            ["findings"] = new JArray(summary.Findings.Select(f => new JObject
            {
                ["rule"] = f.Rule,
                ["severity"] = SeverityName(f.Severity),
                ["target"] = f.Target,
                ["value"] = Round(f.Value),
                ["unit"] = f.Unit,
                ["threshold"] = f.Threshold is { } t ? Round(t) : null,
                ["evidence"] = f.Evidence,
                ["recommendation"] = f.Recommendation,
            })),
        };
        using var text = new StreamWriter(destination, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true)
        {
            NewLine = "\n",
        };
        using var json = new JsonTextWriter(text) { Formatting = Formatting.Indented, Indentation = 2, Culture = CultureInfo.InvariantCulture };
        root.WriteTo(json);
        text.Write('\n');
    }

    public static void WriteFile(string path, DetectionSummary summary) => AtomicFile.Write(path, stream => Write(stream, summary));

    /// <exception cref="InvalidDataException">The file is not a findings report.</exception>
    public static DetectionSummary Read(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        JObject root;
        try
        {
            using var text = new StreamReader(source, Encoding.UTF8, leaveOpen: true);
            using var reader = new JsonTextReader(text) { DateParseHandling = DateParseHandling.None };
            root = JObject.Load(reader);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not a findings report: {e.Message}", e);
        }

        try
        {
            var prometheus = (JObject)root["prometheus"]!;
            var jaeger = (JObject)root["jaeger"]!;
            var discovered = ((JObject?)prometheus["discovered"] ?? [])
                .Properties().ToDictionary(p => p.Name, p => (string)p.Value!);
            var findings = ((JArray)root["findings"]!).Select(f => new Finding(
                (string)f["rule"]!,
                ParseSeverity((string)f["severity"]!),
                (string)f["target"]!,
                (double)f["value"]!,
                (string)f["unit"]!,
                (double?)f["threshold"],
                (string)f["evidence"]!,
                (string)f["recommendation"]!)).ToList();
            return new DetectionSummary(
                DateTimeOffset.Parse((string)root["generated_at"]!, CultureInfo.InvariantCulture),
                (string?)root["evaluated_at"] is { } at ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture) : null,
                (string?)root["window"] ?? "",
                new SourceStatus((string)prometheus["url"]!, (bool)prometheus["reachable"]!, (string?)prometheus["version"], (string?)prometheus["message"]),
                discovered,
                new SourceStatus((string)jaeger["url"]!, (bool)jaeger["reachable"]!, (string?)jaeger["api"], (string?)jaeger["message"]),
                findings);
        }
        catch (Exception e) when (e is InvalidCastException or NullReferenceException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"not a findings report: {e.Message}", e);
        }
    }

    public static DetectionSummary ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    internal static string SeverityName(Severity severity) => severity.ToString().ToLowerInvariant();

    internal static Severity ParseSeverity(string text) =>
        Enum.TryParse<Severity>(text, ignoreCase: true, out var s) && Enum.IsDefined(s)
            ? s
            : throw new FormatException($"unknown severity '{text}'");

    // Findings carry measured values; 6 significant decimals are plenty and keep the files stable across runs' noise.
    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 6) : 0;
}
