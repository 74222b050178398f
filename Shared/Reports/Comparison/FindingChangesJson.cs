using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Reports.Detector;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Reports.Comparison;

/// <summary>Writes and reads <c>bottleneck_comparison_*.json</c>: a detector run compared with its baseline.</summary>
/// <remarks>
/// Shape: <c>{"generated_at", "evaluated_at", "window", "baseline": {"file","generated_at","evaluated_at","window"},
/// "counts": {"new","remaining","gone","not_checked"}, "changes": [{"status","rule","target","unit","severity_before",
/// "severity_after","value_before","value_after","change","change_pct","count_before","count_after"}]}</c>; statuses and
/// severities in lower case, a side without the finding as null, numbers in the invariant culture, times in ISO 8601.
/// <c>counts</c>, <c>change</c> and <c>change_pct</c> are derived and not read back.
/// </remarks>
public static class FindingChangesJson
{
    private const string Report = "findings comparison";

    public static void Write(Stream destination, FindingChanges comparison)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(comparison);
        var root = new JObject
        {
            ["generated_at"] = Time(comparison.GeneratedAt),
            ["evaluated_at"] = comparison.EvaluatedAt is { } at ? Time(at) : null,
            ["window"] = comparison.Window,
            ["baseline"] = new JObject
            {
                ["file"] = comparison.BaselineFile,
                ["generated_at"] = Time(comparison.BaselineGeneratedAt),
                ["evaluated_at"] = comparison.BaselineEvaluatedAt is { } b ? Time(b) : null,
                ["window"] = comparison.BaselineWindow,
            },
            ["counts"] = new JObject(Enum.GetValues<FindingStatus>().Select(s => new JProperty(StatusName(s), comparison.Count(s)))),
            ["changes"] = new JArray(comparison.Changes.Select(c => new JObject
            {
                ["status"] = StatusName(c.Status),
                ["rule"] = c.Rule,
                ["target"] = c.Target,
                ["unit"] = c.Unit,
                ["severity_before"] = c.SeverityBefore is { } sb ? FindingsJson.SeverityName(sb) : null,
                ["severity_after"] = c.SeverityAfter is { } sa ? FindingsJson.SeverityName(sa) : null,
                ["value_before"] = Round(c.ValueBefore),
                ["value_after"] = Round(c.ValueAfter),
                ["change"] = Round(c.Change),
                ["change_pct"] = Round(c.ChangePercent),
                ["count_before"] = c.CountBefore,
                ["count_after"] = c.CountAfter,
            })),
        };
        ReportJson.Write(destination, json => root.WriteTo(json));
    }

    public static void WriteFile(string path, FindingChanges comparison) => AtomicFile.Write(path, stream => Write(stream, comparison));

    /// <exception cref="InvalidDataException">The file is not a findings comparison: not one JSON object, a key missing or
    /// of the wrong type, an unknown status or severity, a time that does not parse; one line naming the key.</exception>
    public static FindingChanges Read(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        JObject root = ReportReadError.ReadJsonObject(source, Report);
        var baseline = root["baseline"] as JObject ?? throw Bad("'baseline' is not an object");
        var changes = (root["changes"] as JArray ?? throw Bad("'changes' is not an array"))
            .Select((c, i) =>
            {
                var change = c as JObject ?? throw Bad($"'changes[{i}]' is {ReportReadError.Kind(c)}, not an object");
                string Name(string key) => $"changes[{i}].{key}";
                return new FindingChange(
                    ParseStatus(Text(change["status"], Name("status")), Name("status")),
                    Text(change["rule"], Name("rule")),
                    Text(change["target"], Name("target")),
                    Text(change["unit"], Name("unit")),
                    OptionalText(change["severity_before"], Name("severity_before")) is { } sb ? Severity(sb, Name("severity_before")) : null,
                    OptionalText(change["severity_after"], Name("severity_after")) is { } sa ? Severity(sa, Name("severity_after")) : null,
                    Number(change["value_before"], Name("value_before")),
                    Number(change["value_after"], Name("value_after")),
                    Count(change["count_before"], Name("count_before")),
                    Count(change["count_after"], Name("count_after")));
            })
            .ToList();
        return new FindingChanges(
            ParseTime(Text(root["generated_at"], "generated_at"), "generated_at"),
            OptionalText(root["evaluated_at"], "evaluated_at") is { } at ? ParseTime(at, "evaluated_at") : null,
            OptionalText(root["window"], "window") ?? "",
            Text(baseline["file"], "baseline.file"),
            ParseTime(Text(baseline["generated_at"], "baseline.generated_at"), "baseline.generated_at"),
            OptionalText(baseline["evaluated_at"], "baseline.evaluated_at") is { } bat ? ParseTime(bat, "baseline.evaluated_at") : null,
            OptionalText(baseline["window"], "baseline.window") ?? "",
            changes);
    }

    /// <exception cref="InvalidDataException">As <see cref="Read"/>, the message starting with the path.</exception>
    public static FindingChanges ReadFile(string path) => ReportReadError.FromFile(path, Read);

    internal static string StatusName(FindingStatus status) => status switch
    {
        FindingStatus.New => "new",
        FindingStatus.Remaining => "remaining",
        FindingStatus.Gone => "gone",
        FindingStatus.NotChecked => "not_checked",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <exception cref="FormatException">Not a status's name.</exception>
    internal static FindingStatus ParseStatus(string text) =>
        Enum.GetValues<FindingStatus>().Where(s => StatusName(s) == text).Select(s => (FindingStatus?)s).FirstOrDefault()
            ?? throw new FormatException($"unknown status '{SafeText.Excerpt(text, 40)}' (new, remaining, gone, not_checked)");

    private static FindingStatus ParseStatus(string text, string name)
    {
        try
        {
            return ParseStatus(text);
        }
        catch (FormatException e)
        {
            throw Bad($"'{name}': {e.Message}");
        }
    }

    private static Severity Severity(string text, string name)
    {
        try
        {
            return FindingsJson.ParseSeverity(text);
        }
        catch (FormatException e)
        {
            throw Bad($"'{name}': {e.Message}");
        }
    }

    private static string Text(JToken? token, string name) => OptionalText(token, name) ?? throw Bad($"'{name}' is missing");

    private static string? OptionalText(JToken? token, string name) => token switch
    {
        null or JValue { Type: JTokenType.Null } => null,
        JValue { Type: JTokenType.String, Value: string text } => text,
        _ => throw Bad($"'{name}' is {ReportReadError.Kind(token)}, not text"),
    };

    private static double? Number(JToken? token, string name) => token switch
    {
        null or JValue { Type: JTokenType.Null } => null,
        JValue { Type: JTokenType.Integer or JTokenType.Float } number when double.IsFinite((double)number) => (double)number,
        _ => throw Bad($"'{name}' is {ReportReadError.Kind(token)}, not a number"),
    };

    private static int Count(JToken? token, string name) => token switch
    {
        JValue { Type: JTokenType.Integer } number when number.Value is long n && n is >= 0 and <= int.MaxValue => (int)n,
        null => throw Bad($"'{name}' is missing"),
        _ => throw Bad($"'{name}' is {ReportReadError.Kind(token)}, not a count"),
    };

    private static string Time(DateTimeOffset at) => at.ToString("o", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text, string name) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw Bad($"'{name}' is not a time: '{SafeText.Excerpt(text, 40)}'");

    private static InvalidDataException Bad(string problem) => ReportReadError.Create(Report, problem);

    // As in the findings report: 6 decimals keep the file stable across runs' noise.
    private static double? Round(double? value) => value is { } v && double.IsFinite(v) ? Math.Round(v, 6) : null;
}
