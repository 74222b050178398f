using PerfTools.Shared.Analysis;
using PerfTools.Shared.Tracing;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary>A detection rule over all the analysed traces at once, for what one trace cannot tell (a pattern on several
/// routes).</summary>
public interface ITraceSetRule
{
    /// <summary>The rule id every finding of this rule carries, e.g. <c>connection_pool</c>.</summary>
    string Id { get; }

    IReadOnlyList<Finding> Evaluate(IReadOnlyList<Trace> traces, TraceRuleContext ctx);
}
