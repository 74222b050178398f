using PerfTools.Shared.Metrics;

namespace PerfTools.Tests.BottleneckDetector.Rules;

/// <summary>Builds query results for the rules' pure Evaluate steps.</summary>
internal static class PromData
{
    public static PrometheusSeries Series(double value, params (string Name, string Value)[] labels) =>
        new(labels.ToDictionary(l => l.Name, l => l.Value), [new PrometheusSample(1795000000, value)]);

    public static PrometheusQueryResult Vector(params PrometheusSeries[] series) => new(PrometheusResultType.Vector, series);

    /// <summary>A vector with one label: (label value, sample value) rows.</summary>
    public static PrometheusQueryResult By(string label, params (string Value, double Sample)[] rows) =>
        Vector(rows.Select(r => Series(r.Sample, (label, r.Value))).ToArray());

    /// <summary>A matrix of one series sampled every <paramref name="stepSeconds"/> from t=1795000000.</summary>
    public static PrometheusQueryResult Range(IEnumerable<double> values, double stepSeconds, params (string Name, string Value)[] labels) =>
        new(PrometheusResultType.Matrix,
        [
            new PrometheusSeries(
                labels.ToDictionary(l => l.Name, l => l.Value),
                values.Select((v, i) => new PrometheusSample(1795000000 + (i * stepSeconds), v)).ToList()),
        ]);
}
