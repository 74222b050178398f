using PerfTools.Shared.Analysis;
using PerfTools.Shared.Tracing;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary>A detection rule over one trace's spans: returns what it found, nothing when the trace is fine.</summary>
public interface ITraceRule
{
    /// <summary>The rule id every finding of this rule carries, e.g. <c>repeated_calls</c>.</summary>
    string Id { get; }

    IReadOnlyList<Finding> Evaluate(Trace trace, TraceRuleContext ctx);
}
