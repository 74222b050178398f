namespace PerfTools.BottleneckDetector;

/// <summary>One console section: its heading, the rule ids it gathers, and which sources those rules read.</summary>
internal sealed record ReportSection(string Heading, IReadOnlyList<string> Rules, bool UsesPrometheus, bool UsesJaeger, bool UsesDatabase = false)
{
    /// <summary>The original script's sections, in its order, plus CPU; a rule id not listed goes to "Other findings".</summary>
    public static IReadOnlyList<ReportSection> All { get; } =
    [
        new("Slow endpoints", ["slow_endpoint"], UsesPrometheus: true, UsesJaeger: false),
        new("Database usage", ["high_db_usage", "n_plus_one", "slow_db_query", "connection_pool", "missing_index"],
            UsesPrometheus: true, UsesJaeger: true, UsesDatabase: true),
        new("Memory", ["memory_growth", "high_memory", "gc_pressure"], UsesPrometheus: true, UsesJaeger: false),
        new("CPU", ["cpu_saturation"], UsesPrometheus: true, UsesJaeger: false),
        new("Error rates", ["error_rate"], UsesPrometheus: true, UsesJaeger: false),
        new("Slowest traces", ["slow_trace", "repeated_calls", "critical_path"], UsesPrometheus: false, UsesJaeger: true),
    ];
}
