namespace PerfTools.Shared.Metrics;

/// <summary>The <c>resultType</c> of a query response.</summary>
public enum PrometheusResultType
{
    Vector,
    Matrix,
    Scalar,
    String,
}
