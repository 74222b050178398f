using System.Globalization;
using System.Text.RegularExpressions;

namespace PerfTools.Tests.ForumApi;

/// <summary>A strict reader of the Prometheus text exposition format, so a malformed /metrics line fails a test instead of being skipped.</summary>
internal static partial class PrometheusText
{
    /// <exception cref="FormatException">A non-comment line is not <c>name{labels} value [timestamp]</c>.</exception>
    public static List<MetricSample> Parse(string text)
    {
        var samples = new List<MetricSample>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
                continue;

            var match = SampleLine().Match(line);
            if (!match.Success)
                throw new FormatException($"not a Prometheus sample line: '{line}'");

            var labels = new Dictionary<string, string>();
            var labelText = match.Groups["labels"].Value;
            var consumed = 0;
            foreach (Match label in LabelPair().Matches(labelText))
            {
                labels[label.Groups["key"].Value] = Regex.Unescape(label.Groups["value"].Value);
                consumed += label.Length;
            }

            if (consumed != labelText.Length)
                throw new FormatException($"bad labels in line: '{line}'");

            samples.Add(new MetricSample(match.Groups["name"].Value, labels, ParseValue(match.Groups["value"].Value, line)));
        }

        return samples;
    }

    /// <summary>Sum of a metric over the samples whose labels include all the given pairs.</summary>
    public static double Sum(IEnumerable<MetricSample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            .Sum(s => s.Value);

    private static double ParseValue(string text, string line) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new FormatException($"bad value in line: '{line}'"),
    };

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( -?\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)"",?")]
    private static partial Regex LabelPair();
}
