namespace PerfTools.BottleneckDetector.Rules;

/// <summary>The thresholds the trace rules compare with; the defaults are the documented ones.</summary>
/// <param name="SlowTraceMs">slow_trace: a root span at least this long, ms.</param>
/// <param name="SlowDbMs">slow_db_query: a DB span at least this long, ms.</param>
/// <param name="RepeatedMinCount">repeated_calls: at least this many sequential calls.</param>
/// <param name="RepeatedMinUnionMs">repeated_calls: covering at least this much wall-clock time, ms.</param>
/// <param name="CriticalShare">critical_path: one operation's self time on the path at least this share of the root, 0..1.</param>
/// <param name="PoolGapMs">connection_pool: a gap before the first query, or a connect/acquire span, at least this long, ms.</param>
/// <param name="PoolGapShare">connection_pool: the gap at least this share of the request, 0..1.</param>
/// <param name="ConnectCriticalMs">connection_pool: a connect/acquire span at least this long is critical, ms.</param>
public sealed record TraceRuleContext(
    double SlowTraceMs = 500,
    double SlowDbMs = 500,
    int RepeatedMinCount = 5,
    double RepeatedMinUnionMs = 50,
    double CriticalShare = 0.30,
    double PoolGapMs = 100,
    double PoolGapShare = 0.10,
    double ConnectCriticalMs = 1000)
{
    private readonly string _jaegerUrl = TargetFacts.DefaultJaegerUrl;

    public static TraceRuleContext Default { get; } = new();

    /// <summary>The Jaeger UI the findings' next steps link traces into (<c>--jaeger-url</c>), without a trailing slash.</summary>
    public string JaegerUrl
    {
        get => _jaegerUrl;
        init => _jaegerUrl = value.TrimEnd('/');
    }
}
