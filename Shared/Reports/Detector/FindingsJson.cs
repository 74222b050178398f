using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Reports.Detector;

/// <summary>Writes and reads <c>bottleneck_findings_*.json</c>.</summary>
/// <remarks>
/// Shape: <c>{"generated_at", "evaluated_at", "window", "prometheus": {"url","reachable","state","version","message",
/// "discovered": {role: description}}, "jaeger": {"url","reachable","state","api","message"}, "database":
/// {"url","reachable","state","version","message"}, "findings": [{"rule","severity",
/// "target","value","unit","threshold","evidence","recommendation","next_steps"}]}</c>; severities and states in lower
/// case, numbers in the invariant culture, times in ISO 8601. <c>database</c> is there only with <c>--database-url</c>.
/// Files written before <c>state</c>, <c>next_steps</c> and <c>database</c> existed still read (a <c>--baseline</c> may be old).
/// </remarks>
public static class FindingsJson
{
    private const string Report = "findings report";

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
                ["state"] = StateName(summary.Prometheus.State),
                ["version"] = summary.Prometheus.Api,
                ["message"] = summary.Prometheus.Message,
                ["discovered"] = new JObject(summary.Discovered.Select(d => new JProperty(d.Key, d.Value))),
            },
            ["jaeger"] = new JObject
            {
                ["url"] = summary.Jaeger.Url,
                ["reachable"] = summary.Jaeger.Reachable,
                ["state"] = StateName(summary.Jaeger.State),
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
                ["next_steps"] = new JArray(f.NextSteps),
            })),
        };
        if (summary.Database is { } database)
        {
            // Only with --database-url: a run without one writes the file as before.
            root.Property("findings")!.AddBeforeSelf(new JProperty("database", new JObject
            {
                ["url"] = database.Url,
                ["reachable"] = database.Reachable,
                ["state"] = StateName(database.State),
                ["version"] = database.Api,
                ["message"] = database.Message,
            }));
        }

        ReportJson.Write(destination, json => root.WriteTo(json));
    }

    public static void WriteFile(string path, DetectionSummary summary) => AtomicFile.Write(path, stream => Write(stream, summary));

    /// <exception cref="InvalidDataException">The file is not a findings report: not one JSON object, a key missing or of
    /// the wrong type, an unknown severity, a time that does not parse; one line naming the key.</exception>
    public static DetectionSummary Read(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        JObject root = ReportReadError.ReadJsonObject(source, Report);
        var prometheus = Object(root, "prometheus");
        var jaeger = Object(root, "jaeger");
        var discovered = new Dictionary<string, string>(StringComparer.Ordinal);
        var discoveredObject = prometheus["discovered"] is null or JValue { Type: JTokenType.Null } ? null : Object(prometheus, "discovered");
        foreach (var property in discoveredObject?.Properties() ?? [])
        {
            discovered[property.Name] = Text(property.Value, "prometheus.discovered." + property.Name);
        }

        var findings = (root["findings"] as JArray ?? throw Bad("'findings' is not an array"))
            .Select((f, i) =>
            {
                var finding = f as JObject ?? throw Bad($"'findings[{i}]' is {ReportReadError.Kind(f)}, not an object");
                string Field(string name) => Text(finding[name], $"findings[{i}].{name}");
                return new Finding(
                    Field("rule"),
                    ReadSeverity(Field("severity"), $"findings[{i}].severity"),
                    Field("target"),
                    Number(finding["value"], $"findings[{i}].value") ?? throw Bad($"'findings[{i}].value' is missing"),
                    Field("unit"),
                    Number(finding["threshold"], $"findings[{i}].threshold"),
                    Field("evidence"),
                    Field("recommendation"))
                {
                    NextSteps = Texts(finding["next_steps"], $"findings[{i}].next_steps"),
                };
            })
            .ToList();
        return new DetectionSummary(
            Time(Text(root["generated_at"], "generated_at"), "generated_at"),
            OptionalText(root["evaluated_at"], "evaluated_at") is { } at ? Time(at, "evaluated_at") : null,
            OptionalText(root["window"], "window") ?? "",
            Source(prometheus, "prometheus", "version"),
            discovered,
            Source(jaeger, "jaeger", "api"),
            findings)
        {
            Database = root["database"] is null or JValue { Type: JTokenType.Null } ? null : Source(Object(root, "database"), "database", "version"),
        };
    }

    /// <exception cref="InvalidDataException">As <see cref="Read"/>, the message starting with the path.</exception>
    public static DetectionSummary ReadFile(string path) => ReportReadError.FromFile(path, Read);

    private static SourceStatus Source(JObject source, string name, string apiKey)
    {
        bool reachable = source["reachable"] is JValue { Type: JTokenType.Boolean } flag ? (bool)flag : throw Bad($"'{name}.reachable' is not true or false");
        string? message = OptionalText(source["message"], $"{name}.message");
        SourceState state = OptionalText(source["state"], $"{name}.state") is { } text
            ? ReadState(text, $"{name}.state")
            : LegacyState(reachable, message);
        if (reachable != state is SourceState.Reachable or SourceState.Interrupted)
        {
            throw Bad($"'{name}.state' {StateName(state)} contradicts 'reachable' {(reachable ? "true" : "false")}");
        }

        return new SourceStatus(Text(source["url"], $"{name}.url"), state, OptionalText(source[apiKey], $"{name}.{apiKey}"), message);
    }

    /// <summary>The state of a source in a file written before <c>state</c> existed, when the message was all there was:
    /// the detector then wrote exactly these texts for an interrupted and a failed source.</summary>
    private static SourceState LegacyState(bool reachable, string? message) => (reachable, message) switch
    {
        (true, { } m) when m.StartsWith("interrupted", StringComparison.Ordinal) => SourceState.Interrupted,
        (true, _) => SourceState.Reachable,
        (false, "interrupted before it answered") => SourceState.InterruptedBeforeAnswer,
        (false, { } m) when m.StartsWith("analysis failed", StringComparison.Ordinal) => SourceState.AnalysisFailed,
        _ => SourceState.Unreachable,
    };

    /// <summary>An array of texts; empty for a missing or null value.</summary>
    private static IReadOnlyList<string> Texts(JToken? token, string name) => token switch
    {
        null or JValue { Type: JTokenType.Null } => [],
        JArray array => array.Select((t, i) => Text(t, $"{name}[{i}]")).ToList(),
        _ => throw Bad($"'{name}' is {ReportReadError.Kind(token)}, not an array"),
    };

    private static JObject Object(JObject parent, string name) => parent[name] as JObject ?? throw Bad($"'{name}' is not an object");

    private static string Text(JToken? token, string name) => OptionalText(token, name) ?? throw Bad($"'{name}' is missing");

    private static string? OptionalText(JToken? token, string name) => token switch
    {
        null or JValue { Type: JTokenType.Null } => null,
        JValue { Type: JTokenType.String, Value: string text } => text,
        _ => throw Bad($"'{name}' is {ReportReadError.Kind(token)}, not text"),
    };

    /// <summary>A number, or null for a missing or null value.</summary>
    private static double? Number(JToken? token, string name) => token switch
    {
        null or JValue { Type: JTokenType.Null } => null,
        JValue { Type: JTokenType.Integer or JTokenType.Float } number => (double)number,
        _ => throw Bad($"'{name}' is {ReportReadError.Kind(token)}, not a number"),
    };

    private static DateTimeOffset Time(string text, string name) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw Bad($"'{name}' is not a time: '{SafeText.Excerpt(text, 40)}'");

    private static Severity ReadSeverity(string text, string name)
    {
        try
        {
            return ParseSeverity(text);
        }
        catch (FormatException e)
        {
            throw Bad($"'{name}': {e.Message}");
        }
    }

    private static InvalidDataException Bad(string problem) => ReportReadError.Create(Report, problem);

    // snake_case, as every key and value of the file: "interrupted_before_answer".
    internal static string StateName(SourceState state) =>
        string.Concat(state.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static SourceState ReadState(string text, string name) =>
        Enum.GetValues<SourceState>().Cast<SourceState?>().FirstOrDefault(s => StateName(s!.Value) == text)
            ?? throw Bad($"'{name}': unknown state '{SafeText.Excerpt(text, 40)}'");

    internal static string SeverityName(Severity severity) => severity.ToString().ToLowerInvariant();

    /// <exception cref="FormatException">Not a severity's name.</exception>
    internal static Severity ParseSeverity(string text) =>
        // By name only: Enum.TryParse would also take "2" or "info, warning".
        Enum.GetNames<Severity>().FirstOrDefault(n => n.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse<Severity>(name)
            : throw new FormatException($"unknown severity '{SafeText.Excerpt(text, 40)}'");

    // Findings carry measured values; 6 significant decimals are plenty and keep the files stable across runs' noise.
    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 6) : 0;
}
