using System.Globalization;

namespace PerfTools.Shared.Analysis;

/// <summary>How far the load generator itself fell behind its schedule (open model): sends late through its own delay
/// (its loop woke or ran late: CPU, timers, a pause), apart from those late because the target held every in-flight
/// slot. Corrected latency charges every late send its lag; when the lag is the generator's, that latency measures the
/// generator, so every report says so before its figures.</summary>
/// <param name="Items">Items the schedule started: requests, or rounds for round-based scenarios.</param>
/// <param name="LateOwn">Of them, started at least 10 ms late through the generator's own delay (<see cref="Http.LoadRunner.OwnLateThreshold"/>: below is a timer waking late).</param>
/// <param name="MaxOwnLagMicros">The largest lag through its own delay, µs.</param>
/// <param name="RoundBased">Items are rounds of requests, not single requests.</param>
public sealed record GeneratorLag(long Items, long LateOwn, long MaxOwnLagMicros, bool RoundBased)
{
    /// <summary>The share of late items at which the generator is said to have fallen behind: above timer jitter and
    /// the odd garbage-collection pause, and enough to move a p99.</summary>
    public const double BehindShare = 0.01;

    /// <summary>And at least this many: fewer are a pause or two, whose lag shows in the max, not in the figures a
    /// comparison tests (a 1 s test run at 40 requests/s on a busy machine had 1 of 40 late by a timer tick).</summary>
    public const long BehindMinItems = 10;

    /// <summary>Late-through-its-own-delay items over all items, 0..1.</summary>
    public double Share => Items == 0 ? 0 : (double)LateOwn / Items;

    /// <summary>Whether the generator fell behind: at least <see cref="BehindShare"/> of its items, and at least
    /// <see cref="BehindMinItems"/>, late on its own account.</summary>
    public bool Behind => Share >= BehindShare && LateOwn >= BehindMinItems;

    /// <summary>The warning every report gives first when <see cref="Behind"/>: what happened, what it does to the
    /// figures, and the remedy; one line.</summary>
    public string Warning => string.Create(
            CultureInfo.InvariantCulture,
            $"the load generator fell behind its schedule: {LateOwn} of {Items} {(RoundBased ? "rounds" : "sends")} ({Share * 100:0.0} %) left 10 ms or more late through its own delay (max {MaxOwnLagMicros / 1000.0:0.0} ms), ")
        + "not because the target held every in-flight slot. The corrected latency includes that lag, so it overstates "
        + "the target's; ask less of one process (a lower --rps, a lower --max-in-flight) or spread the load over "
        + "processes or machines.";
}
