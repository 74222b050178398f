using PerfTools.Shared.Http;

namespace PerfTools.PerformanceAnalyzer;

/// <summary>What measuring one endpoint produced, beyond the results already recorded.</summary>
/// <param name="FirstSuccessBody">Body of the first measured 2xx answer (when the plan kept bodies).</param>
/// <param name="FirstFailure">The first measured request that failed, to say why a dependent step is skipped.</param>
/// <param name="Unreachable">The very first request found no server (refused, DNS, timeout); nothing more was sent.</param>
/// <param name="Probe">That first request, warm-up or not.</param>
internal sealed record EndpointRun(
    string? FirstSuccessBody,
    RequestResult? FirstFailure,
    bool Unreachable,
    RequestResult? Probe);
