namespace PerfTools.Shared.Metrics;

/// <summary>What discovery looks at: every series name with the label names seen on it, and the family types where known.</summary>
/// <param name="LabelNames">Series name (<c>http_request_duration_seconds_bucket</c>) → its label names, without <c>__name__</c>; an empty set where they were not fetched.</param>
/// <param name="Types">Family name → <c>counter</c>, <c>gauge</c>, <c>histogram</c>, <c>summary</c>, <c>untyped</c>; from TYPE lines or <c>/api/v1/metadata</c>.</param>
public sealed record MetricInventory(
    IReadOnlyDictionary<string, IReadOnlySet<string>> LabelNames,
    IReadOnlyDictionary<string, string> Types)
{
    /// <summary>The type of a family, also under the other spelling of a counter (OpenMetrics drops <c>_total</c> from the family name).</summary>
    public string? TypeOf(string family)
    {
        if (Types.TryGetValue(family, out var type))
        {
            return type;
        }

        if (family.EndsWith("_total", StringComparison.Ordinal) && Types.TryGetValue(family[..^"_total".Length], out type))
        {
            return type;
        }

        return Types.TryGetValue(family + "_total", out type) ? type : null;
    }

    public bool Has(string name) => LabelNames.ContainsKey(name);

    public IReadOnlySet<string> LabelsOf(string name) =>
        LabelNames.TryGetValue(name, out var labels) ? labels : new HashSet<string>();
}
