namespace PerfTools.Shared.Analysis;

/// <summary>Everything one simulated scenario measured, computed once by <see cref="SimulationRecorder.Complete"/>;
/// the console, JSON, CSV and chart all read this.</summary>
/// <remarks>The counts, latencies, per-second series and histogram cover the scenario's headline routes: every route,
/// unless the scenario reports some beside them (<see cref="RouteStats.Headline"/>); <see cref="Routes"/> has each
/// route on its own.</remarks>
/// <param name="TargetRps">Requests per second the schedule asked for; 0 for the closed model (as fast as possible).</param>
/// <param name="DurationSeconds">How long requests were started for (shorter when interrupted).</param>
/// <param name="Late">Requests sent at least <see cref="Http.LoadRunner.LateThreshold"/> after their due time.</param>
/// <param name="MaxLagMicros">The largest delay of a send behind its due time.</param>
/// <param name="Latency">Corrected: from the due time to the last byte, charging any wait to send.</param>
/// <param name="LatencyUncorrected">Raw: from the actual send to the last byte.</param>
/// <param name="StatusCodes">Responses by HTTP status, ascending.</param>
/// <param name="ErrorsByKind">Failed requests by <see cref="Http.ErrorKind"/> name.</param>
/// <param name="Rounds">For round-based scenarios, rounds started; null otherwise.</param>
/// <param name="LateRounds">Rounds started late; null when there are no rounds.</param>
/// <param name="Seconds">One entry per second of the run, from second 0, none skipped.</param>
public sealed record SimulationStats(
    string Scenario,
    string BaseUrl,
    DateTimeOffset StartedAt,
    double TargetRps,
    double DurationSeconds,
    int MaxInFlight,
    long Requests,
    long Ok,
    long Errors,
    long Late,
    long MaxLagMicros,
    LatencySummary Latency,
    LatencySummary LatencyUncorrected,
    IReadOnlyDictionary<int, long> StatusCodes,
    IReadOnlyDictionary<string, long> ErrorsByKind,
    long? Rounds,
    long? LateRounds,
    IReadOnlyList<SecondStats> Seconds)
{
    /// <summary>The corrected latencies as an HdrHistogram holds them (<see cref="LatencyRecorder.RecordedValues"/>):
    /// (µs, count) per non-empty bucket, ascending, at 3 significant digits; empty when read from a file written before
    /// it existed. The samples a comparison with a later run tests.</summary>
    public IReadOnlyList<(long ValueMicros, long Count)> LatencyHistogram { get; init; } = [];

    /// <summary>The uncorrected latencies (from the actual send) likewise; empty when read from a file written before
    /// it existed. A comparison tests them too, so the load generator's own lag cannot pass for the server's change.</summary>
    public IReadOnlyList<(long ValueMicros, long Count)> LatencyHistogramUncorrected { get; init; } = [];

    /// <summary>Seconds of the scenario's traffic sent before the measured run and not recorded (<c>--warmup</c>, as
    /// asked for); 0 for none, and when read from a file written before it existed.</summary>
    public double WarmupSeconds { get; init; }

    /// <summary>Requests the warm-up sent, every route included; none of them is in any other figure here.</summary>
    public long WarmupRequests { get; init; }

    /// <summary>Each route (request label) on its own, the scenario's headline routes first, then by label
    /// (ordinal); empty when read from a file written before <c>routes</c> existed, and in a live snapshot.</summary>
    public IReadOnlyList<RouteStats> Routes { get; init; } = [];

    /// <summary>How far the generator itself fell behind its schedule; null for the closed model (no schedule) and
    /// for files written before it was recorded.</summary>
    public GeneratorLag? Generator { get; init; }

    /// <summary>Per second (as <see cref="Seconds"/>), the headline routes' latencies at the overall histogram's buckets:
    /// they add up exactly to <see cref="LatencyHistogram"/>; what the .hlog writes. Empty in a snapshot and when read
    /// from a JSON file.</summary>
    public IReadOnlyList<SecondLatencies> SecondLatencies { get; init; } = [];

    /// <summary>The share of the schedule this run sent (<c>--shard</c>); <see cref="ScheduleShard.Whole"/> by default.</summary>
    public ScheduleShard Shard { get; init; } = ScheduleShard.Whole;

    /// <summary>The schedule's time zero was given (<c>--start-at</c>), the same for every shard, and is <see cref="StartedAt"/>.</summary>
    public bool StartAtGiven { get; init; }

    /// <summary>Items (requests, or rounds in round-based scenarios) this shard's schedule had due; null for the closed model.</summary>
    public long? Due { get; init; }

    /// <summary>When this shard's first item was due, after the schedule's start (0 unless sharded); null for the closed model.</summary>
    public TimeSpan? FirstDue { get; init; }

    /// <summary>When the first headline request was handed to the network; null when none was.</summary>
    public DateTimeOffset? FirstSentAt { get; init; }

    /// <summary>Whether <see cref="Routes"/> tell more than the scenario's own figures: it has several routes, or one
    /// reported beside them. The console and the page list routes only then.</summary>
    public bool HasRouteBreakdown => Routes.Count > 1 || Routes.Any(r => !r.Headline);

    /// <summary>Successful requests of every route, those reported beside the headline included: <see cref="Ok"/>
    /// when there are no <see cref="Routes"/>.</summary>
    public long OkAllRoutes => Routes.Count == 0 ? Ok : Routes.Sum(r => r.Ok);

    /// <summary>Requests started per second of <see cref="DurationSeconds"/>.</summary>
    public double AchievedRps => DurationSeconds > 0 ? Requests / DurationSeconds : 0;
}
