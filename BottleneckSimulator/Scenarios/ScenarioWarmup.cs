namespace PerfTools.BottleneckSimulator.Scenarios;

/// <summary>What a scenario's warm-up sent before its measured run: counted, never recorded.</summary>
/// <param name="Planned">The <c>--warmup</c> asked for.</param>
/// <param name="Elapsed">How long it sent for (shorter when cut short).</param>
/// <param name="Requests">Requests sent, every route of the scenario included.</param>
/// <param name="TargetRps">The scenario's rate, as its measured run targets it; 0 for the closed model.</param>
/// <param name="CutShort">Ctrl+C, SIGTERM or an unreachable target stopped it: nothing is measured after it.</param>
internal sealed record ScenarioWarmup(TimeSpan Planned, TimeSpan Elapsed, long Requests, double TargetRps, bool CutShort);
