namespace PerfTools.Shared.Analysis;

/// <summary>One thing a detection rule found, with the numbers behind it and what to do about it.</summary>
/// <param name="Rule">Rule id, part of the output contract: <c>slow_endpoint</c>, <c>error_rate</c>, <c>n_plus_one</c>, ...</param>
/// <param name="Target">What it is about: a route (<c>GET /boards/{id}/posts</c>), a service, or a trace id.</param>
/// <param name="Value">The measured value, in <paramref name="Unit"/>.</param>
/// <param name="Unit">Unit of <paramref name="Value"/> and <paramref name="Threshold"/>: <c>ms</c>, <c>ratio</c>, <c>queries/request</c>, <c>bytes/s</c>, ...</param>
/// <param name="Threshold">The limit the value was compared with, when the rule has one.</param>
/// <param name="Evidence">How to see it again: the PromQL query, or the trace id and span ids.</param>
/// <param name="Recommendation">A concrete next step.</param>
public sealed record Finding(
    string Rule,
    Severity Severity,
    string Target,
    double Value,
    string Unit,
    double? Threshold,
    string Evidence,
    string Recommendation);
