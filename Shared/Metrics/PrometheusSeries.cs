namespace PerfTools.Shared.Metrics;

/// <summary>One series of a query result: its labels and one sample (vector) or many (matrix).</summary>
public sealed record PrometheusSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<PrometheusSample> Samples)
{
    /// <summary>The label's value, or "" when the series has no such label (as PromQL treats a missing label).</summary>
    public string Label(string name) => Labels.TryGetValue(name, out var value) ? value : "";

    /// <summary>The last sample's value: the value of a vector element.</summary>
    public double Value => Samples.Count == 0 ? double.NaN : Samples[^1].Value;
}
