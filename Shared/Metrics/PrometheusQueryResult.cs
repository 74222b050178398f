namespace PerfTools.Shared.Metrics;

/// <summary>The data of a <c>/api/v1/query</c> or <c>/api/v1/query_range</c> response; a scalar or string result is one series without labels.</summary>
public sealed record PrometheusQueryResult(PrometheusResultType ResultType, IReadOnlyList<PrometheusSeries> Series, string? StringValue = null)
{
    public static PrometheusQueryResult EmptyVector { get; } = new(PrometheusResultType.Vector, []);
}
