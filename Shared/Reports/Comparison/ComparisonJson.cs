using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Comparison;

namespace PerfTools.Shared.Reports.Comparison;

/// <summary>Writes and reads <c>comparison_*.json</c>: a run compared with its baseline, the same rows as
/// <see cref="ComparisonCsv"/> plus where the baseline came from.</summary>
/// <remarks>
/// Shape: <c>{"baseline": "reports/performance_data_….json", "generated_at": ISO 8601, "comparisons": [{"label",
/// "n_before", "n_after", "p50_before_ms", "p50_after_ms", "p50_change_pct", … p95, p99, mean …, "test", "method", "u",
/// "z", "p_value", "prob_superiority", "alpha", "verdict", "min_change_pct", "p_slower", "p_faster", "p_threshold",
/// "p_adjusted", "family_size", "shift_ms", "shift_low_ms", "shift_high_ms", "shift_pct", "confidence",
/// "uncorrected_verdict", "generator_behind"}]}</c>, keys and digits as in <see cref="ComparisonCsv"/>; a change without a baseline value
/// and the test fields of an untested row are null, and the reader takes the fields after "verdict" as absent in a file
/// written before they existed.
/// </remarks>
public static class ComparisonJson
{
    private const string Report = "comparison report";

    private static readonly string[] Metrics = ["p50", "p95", "p99", "mean"];

    public static void Write(Stream destination, ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(report);
        ReportJson.Write(destination, json =>
        {
            json.WriteStartObject();
            json.WritePropertyName("baseline");
            json.WriteValue(report.Baseline);
            json.WritePropertyName("generated_at");
            json.WriteValue(report.GeneratedAt.ToString("o", CultureInfo.InvariantCulture));
            json.WritePropertyName("comparisons");
            json.WriteStartArray();
            foreach (LatencyComparison c in report.Comparisons)
            {
                WriteRow(json, c);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    public static void WriteFile(string path, ComparisonReport report) =>
        AtomicFile.Write(path, stream => Write(stream, report));

    /// <exception cref="InvalidDataException">Not one JSON object of this shape: a key missing or of the wrong type, an
    /// unknown verdict or test; one line naming the key and the comparison.</exception>
    public static ComparisonReport Read(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        JObject root = ReportReadError.ReadJsonObject(source, Report);

        string baseline;
        DateTimeOffset generatedAt;
        try
        {
            baseline = Text(root, "baseline");
            generatedAt = DateTimeOffset.Parse(Text(root, "generated_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        }
        catch (Exception e) when (ReportReadError.IsDataError(e))
        {
            throw ReportReadError.Create(Report, e.Message, e);
        }

        if (root["comparisons"] is not JArray rows)
        {
            throw ReportReadError.Create(Report, "lacks the array 'comparisons'");
        }

        var comparisons = new List<LatencyComparison>(rows.Count);
        foreach (JToken row in rows)
        {
            try
            {
                comparisons.Add(ReadRow(row as JObject ?? throw new FormatException($"is {ReportReadError.Kind(row)}, not an object")));
            }
            catch (Exception e) when (ReportReadError.IsDataError(e))
            {
                throw ReportReadError.Create(
                    Report, string.Create(CultureInfo.InvariantCulture, $"comparison {comparisons.Count + 1}: {e.Message}"), e);
            }
        }

        return new ComparisonReport(baseline, generatedAt, comparisons);
    }

    /// <exception cref="InvalidDataException">As <see cref="Read"/>, the message starting with the path.</exception>
    public static ComparisonReport ReadFile(string path) => ReportReadError.FromFile(path, Read);

    private static void WriteRow(JsonTextWriter json, LatencyComparison c)
    {
        json.WriteStartObject();
        json.WritePropertyName("label");
        json.WriteValue(c.Label);
        json.WritePropertyName("n_before");
        json.WriteValue(c.NBefore);
        json.WritePropertyName("n_after");
        json.WriteValue(c.NAfter);
        foreach (string metric in Metrics)
        {
            (double before, double after, double? change) = Metric(c, metric);
            json.WritePropertyName($"{metric}_before_ms");
            json.WriteRawValue(CsvFiles.Fixed3(before));
            json.WritePropertyName($"{metric}_after_ms");
            json.WriteRawValue(CsvFiles.Fixed3(after));
            json.WritePropertyName($"{metric}_change_pct");
            if (change is { } pct)
            {
                json.WriteRawValue(CsvFiles.Fixed3(pct));
            }
            else
            {
                json.WriteNull();
            }
        }

        MannWhitneyResult? t = c.Test;
        json.WritePropertyName("test");
        json.WriteValue(t is null ? null : ComparisonFields.TestName);
        json.WritePropertyName("method");
        json.WriteValue(t?.Method);
        Exact(json, "u", t?.U);
        Exact(json, "z", t?.Z);
        Exact(json, "p_value", t?.PValue);
        Exact(json, "prob_superiority", t?.ProbabilityOfSuperiority);
        Exact(json, "alpha", c.Alpha);
        json.WritePropertyName("verdict");
        json.WriteValue(c.Verdict.ToText());
        ThresholdTest? th = c.Threshold;
        Exact(json, "min_change_pct", th?.MinChangePct);
        Exact(json, "p_slower", th?.PSlower);
        Exact(json, "p_faster", th?.PFaster);
        Exact(json, "p_threshold", th?.PValue);
        Exact(json, "p_adjusted", th?.PAdjusted);
        json.WritePropertyName("family_size");
        json.WriteValue(th?.FamilySize);
        Fixed3(json, "shift_ms", c.Shift?.Shift);
        Fixed3(json, "shift_low_ms", c.Shift?.Low);
        Fixed3(json, "shift_high_ms", c.Shift?.High);
        Fixed3(json, "shift_pct", c.ShiftPct);
        Exact(json, "confidence", c.Shift?.Confidence);
        json.WritePropertyName("uncorrected_verdict");
        json.WriteValue(c.UncorrectedVerdict?.ToText());
        json.WritePropertyName("generator_behind");
        json.WriteValue(c.GeneratorBehind);
        json.WriteEndObject();
    }

    private static void Fixed3(JsonTextWriter json, string name, double? value)
    {
        json.WritePropertyName(name);
        if (value is { } v)
        {
            json.WriteRawValue(CsvFiles.Fixed3(v));
        }
        else
        {
            json.WriteNull();
        }
    }

    private static void Exact(JsonTextWriter json, string name, double? value)
    {
        json.WritePropertyName(name);
        if (value is { } v)
        {
            json.WriteRawValue(ComparisonFields.Exact(v)); // "R": the shortest text that reads back to the same double
        }
        else
        {
            json.WriteNull();
        }
    }

    private static LatencyComparison ReadRow(JObject row)
    {
        long nBefore = ComparisonFields.Count(Integer(row, "n_before"), "n_before");
        long nAfter = ComparisonFields.Count(Integer(row, "n_after"), "n_after");
        var values = Metrics.Select(m => (
            Before: Number(row, $"{m}_before_ms"),
            After: Number(row, $"{m}_after_ms"),
            Change: NullableNumber(row, $"{m}_change_pct"))).ToArray();
        MannWhitneyResult? test = ComparisonFields.Test(
            NullableText(row, "test"), nBefore, nAfter, NullableText(row, "method"), NullableNumber(row, "u"),
            NullableNumber(row, "z"), NullableNumber(row, "p_value"), NullableNumber(row, "prob_superiority"));
        return new LatencyComparison(
            Text(row, "label"), nBefore, nAfter,
            values[0].Before, values[0].After, values[0].Change,
            values[1].Before, values[1].After, values[1].Change,
            values[2].Before, values[2].After, values[2].Change,
            values[3].Before, values[3].After, values[3].Change,
            test,
            Number(row, "alpha"),
            ComparisonVerdicts.Parse(Text(row, "verdict")))
        {
            // Absent in files written before the threshold test: read as not given.
            Threshold = ComparisonFields.Threshold(
                NullableNumber(row, "min_change_pct"), NullableNumber(row, "p_slower"), NullableNumber(row, "p_faster"),
                NullableNumber(row, "p_threshold"), NullableNumber(row, "p_adjusted"), NullableNumber(row, "family_size")),
            Shift = ComparisonFields.Shift(
                NullableNumber(row, "shift_ms"), NullableNumber(row, "shift_low_ms"), NullableNumber(row, "shift_high_ms"),
                NullableNumber(row, "confidence")),
            UncorrectedVerdict = NullableText(row, "uncorrected_verdict") is { } u ? ComparisonVerdicts.Parse(u) : null,
            // Absent in files written before it: false.
            GeneratorBehind = row["generator_behind"] is { Type: JTokenType.Boolean } g && g.Value<bool>(),
        };
    }

    private static (double Before, double After, double? Change) Metric(LatencyComparison c, string metric) => metric switch
    {
        "p50" => (c.P50BeforeMs, c.P50AfterMs, c.P50ChangePct),
        "p95" => (c.P95BeforeMs, c.P95AfterMs, c.P95ChangePct),
        "p99" => (c.P99BeforeMs, c.P99AfterMs, c.P99ChangePct),
        _ => (c.MeanBeforeMs, c.MeanAfterMs, c.MeanChangePct),
    };

    private static string Text(JObject o, string name) =>
        o[name] is { Type: JTokenType.String } t ? t.Value<string>()! : throw Missing(name, "text");

    private static string? NullableText(JObject o, string name) => o[name] is null or { Type: JTokenType.Null } ? null : Text(o, name);

    private static long Integer(JObject o, string name) =>
        o[name] is { Type: JTokenType.Integer } t ? t.Value<long>() : throw Missing(name, "a whole number");

    /// <summary>The number as written (its token text), so 3-decimal ms come back as the same double the CSV gives.</summary>
    private static double Number(JObject o, string name) =>
        o[name] is { Type: JTokenType.Float or JTokenType.Integer } t
            ? ComparisonFields.Number(t.ToString(Formatting.None), name)
            : throw Missing(name, "a number");

    private static double? NullableNumber(JObject o, string name) => o[name] is null or { Type: JTokenType.Null } ? null : Number(o, name);

    private static FormatException Missing(string name, string kind) => new($"lacks {kind} '{name}'");
}

/// <summary>What <c>comparison_*.json</c> holds: the comparisons of one run with its baseline.</summary>
/// <param name="Baseline">The baseline file or folder, as the user gave it.</param>
/// <param name="GeneratedAt">When the comparison was made.</param>
/// <param name="Comparisons">One per endpoint or scenario, in the order the run reports them.</param>
public sealed record ComparisonReport(string Baseline, DateTimeOffset GeneratedAt, IReadOnlyList<LatencyComparison> Comparisons);
