namespace PerfTools.Shared.Analysis;

/// <summary>How one endpoint was warmed up before its measured requests: what the console, the JSON data and the HTML
/// page report beside its latency.</summary>
/// <param name="Requests">Warm-up requests sent, failed ones included; none of them is measured.</param>
/// <param name="Settled">True when latency stopped drifting (<c>--warmup auto</c>), false when the warm-up stopped at its
/// bound (or was interrupted) before that; null when nothing was judged: a fixed <c>--warmup N</c>, or a method that
/// changes state, which auto mode warms by a few requests only.</param>
public sealed record WarmupOutcome(int Requests, bool? Settled);
