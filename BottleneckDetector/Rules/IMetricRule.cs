using PerfTools.Shared.Analysis;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary>A detection rule over Prometheus metrics: queries what it needs, then judges it with a pure <c>Evaluate</c> step.</summary>
public interface IMetricRule
{
    /// <summary>Rule id, part of the output contract (<c>slow_endpoint</c>, <c>error_rate</c>, ...).</summary>
    string Id { get; }

    /// <summary>Findings for the context's window; empty when the metrics the rule needs were not discovered.</summary>
    Task<IReadOnlyList<Finding>> EvaluateAsync(MetricRuleContext ctx, CancellationToken ct);
}
