using PerfTools.Shared.Http;

namespace PerfTools.PerformanceAnalyzer;

/// <summary>One endpoint to measure: its label, how to build the n-th request, and how many to send.</summary>
/// <param name="MakeSpec">Request for index n (warm-ups first, then measured ones), so creates can use unique names.</param>
/// <param name="KeepBody">Read response bodies, for steps whose answer later steps need (ids).</param>
/// <param name="Check">Turns a 2xx answer into an error when its body lacks what the step exists for
/// (a create without an id becomes <see cref="ErrorKind.Parse"/>); null accepts any answer.</param>
internal sealed record EndpointPlan(
    string Label,
    Func<int, RequestSpec> MakeSpec,
    int Iterations,
    bool KeepBody = false,
    Func<RequestResult, string?, RequestResult>? Check = null);
