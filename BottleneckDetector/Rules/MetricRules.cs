namespace PerfTools.BottleneckDetector.Rules;

/// <summary>Every metric rule, in the order their findings are reported.</summary>
public static class MetricRules
{
    public static IReadOnlyList<IMetricRule> All { get; } =
    [
        new SlowEndpointRule(),
        new ErrorRateRule(),
        new HighDbUsageRule(),
        new NPlusOneRule(),
        new ConnectionPoolRule(),
        new MissingIndexRule(),
        new MemoryGrowthRule(),
        new HighMemoryRule(),
        new CpuSaturationRule(),
        new GcPressureRule(),
    ];
}
