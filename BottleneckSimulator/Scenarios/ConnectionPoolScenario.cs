using System.Globalization;
using PerfTools.Shared.Http;

namespace PerfTools.BottleneckSimulator.Scenarios;

/// <summary><c>connection_pool</c>: 20 <c>GET /slow</c> kept in flight, which on the sample's PostgreSQL mode hold its
/// whole pool of 10 connections and queue 10 more (bottleneck 5), while <c>GET /boards/{id}</c> of a board made in
/// setup goes out at <c>--rps</c>, evenly spaced. The headline is that fast route's corrected latency: a one-row
/// primary-key read, so whatever it costs beyond a few ms is its wait for a connection; the holders are reported beside.</summary>
/// <remarks>
/// The holders are a closed loop of <see cref="Holders"/> workers, not a rate, since the point is to hold that many
/// connections whatever each call takes: a worker sends its next <c>GET /slow</c> when the previous one answered, but
/// no sooner than <see cref="HolderCycle"/> after sending it, the route's designed duration. Against the slow route
/// that changes nothing; against a fixed or failing one it makes 40 requests/s instead of a flood, so the fast route's
/// figures with <c>--fixed</c> measure the pool rather than a CPU saturated by the holders. Holders send on no schedule,
/// so their corrected and raw latencies are the same. The fast route is paced as in <c>load</c> (open model, corrected
/// from the due time; with <c>--rps 0</c> closed, from the <c>--max-in-flight</c> slots the holders leave).
/// </remarks>
internal sealed class ConnectionPoolScenario : IScenario
{
    public const string Name = "connection_pool";

    /// <summary>Requests to the pool-holding route kept in flight: twice the sample's default pool of 10.</summary>
    public const int Holders = 20;

    public const string HolderLabel = "GET /slow";

    public const string FastLabel = "GET /boards/{id}";

    /// <summary>A holder sends at most once per this (<c>/slow</c>'s ~400 ms wait and ~100 ms of CPU).</summary>
    public static readonly TimeSpan HolderCycle = TimeSpan.FromMilliseconds(500);

    /// <summary>No holder sends this close to the end of the run (timers fire up to a few ms early).</summary>
    private static readonly TimeSpan EndMargin = TimeSpan.FromMilliseconds(10);

    public static readonly string Description = string.Create(CultureInfo.InvariantCulture,
        $"{Holders} GET /slow kept in flight while GET /boards/{{id}} goes at --rps (the headline)");

    /// <summary>What <c>--max-in-flight</c> must be for this scenario: a slot for each holder and at least one for the
    /// paced route (in the words of the usage error, and of the skip under <c>all</c>).</summary>
    public static readonly string InFlightAllowed = string.Create(CultureInfo.InvariantCulture,
        $"must be more than {Holders} for connection_pool, which keeps {Holders} GET /slow in flight besides GET /boards/{{id}}");

    public string Describe(SimulatorSettings settings) =>
        settings.MaxInFlight <= Holders ? Description // it will be skipped: see RunAsync
        : settings.Rps == 0 ? string.Create(CultureInfo.InvariantCulture,
            $"{Holders} GET /slow kept in flight while GET /boards/{{id}} goes as fast as {settings.MaxInFlight - Holders} in flight allow")
        : string.Create(CultureInfo.InvariantCulture,
            $"{Holders} GET /slow kept in flight while GET /boards/{{id}} goes at {settings.Rps} requests/s");

    public async Task<ScenarioOutcome> RunAsync(ScenarioContext context, CancellationToken ct)
    {
        SimulatorSettings s = context.Settings;
        if (s.MaxInFlight <= Holders)
        {
            // Only under all: validation refuses it when the scenario is asked for by name.
            return ScenarioOutcome.Skipped(string.Create(CultureInfo.InvariantCulture, $"--max-in-flight {s.MaxInFlight} {InFlightAllowed}"));
        }

        var (boardId, failure) = await context.CreateAsync("/boards",
            new { name = "connection_pool test board", description = "created by simulate_bottleneck" }, ct).ConfigureAwait(false);
        if (boardId is null)
        {
            return ScenarioOutcome.Skipped(failure!);
        }

        RequestSpec fast = context.Spec(FastLabel, "GET", $"/boards/{boardId}");
        RequestSpec holder = context.Spec(HolderLabel, "GET", "/slow");
        // Both routes must answer before 20 workers put load on them: a missing /slow would otherwise be 40 404s a second.
        if (await context.CheckAsync(fast, ct).ConfigureAwait(false) is { } fastFailure)
        {
            return ScenarioOutcome.Skipped(fastFailure);
        }

        if (await context.CheckAsync(holder, ct).ConfigureAwait(false) is { } holderFailure)
        {
            return ScenarioOutcome.Skipped(holderFailure);
        }

        return await context.WarmUpThenRunAsync(
            s.Rps, roundBased: false, (duration, token) => RunRoutesAsync(context, fast, holder, duration, token), ct,
            besideLabels: [HolderLabel]).ConfigureAwait(false);
    }

    /// <summary>The holders and the paced route together for <paramref name="duration"/> (the warm-up's or the
    /// measured run's); the outcome is the paced route's.</summary>
    private static async Task<LoadRunOutcome> RunRoutesAsync(
        ScenarioContext context, RequestSpec fast, RequestSpec holder, TimeSpan duration, CancellationToken ct)
    {
        SimulatorSettings s = context.Settings;
        TimeProvider time = context.Time;
        long start = time.GetTimestamp();
        // Under --shard K/N the holders are shared too (20 split as evenly as can be, at least 1 a shard), so N shards
        // hold 20 between them rather than 20 each.
        int holding = Math.Max(1, (Holders / s.Shard.Count) + (s.Shard.Index - 1 < Holders % s.Shard.Count ? 1 : 0));
        Task<LoadRunOutcome> holders = context.Runner.RunAsync(new LoadPlan(null, duration, holding), async (_, _, token) =>
        {
            if (duration - time.GetElapsedTime(start) < EndMargin)
            {
                // The run is over, or a timer woke a hair early for a send at its very end; the runner's own end is a
                // timer tick away. No send then, and no spinning until it comes.
                await Task.Delay(EndMargin, time, token).ConfigureAwait(false);
                return;
            }

            long sent = time.GetTimestamp();
            await context.SendAsync(holder, 0, token).ConfigureAwait(false);
            // Not past the end of the run: that wait would only hold the scenario up.
            TimeSpan wait = Min(HolderCycle - time.GetElapsedTime(sent), duration - time.GetElapsedTime(start));
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, token).ConfigureAwait(false);
            }
        }, ct);
        Task<LoadRunOutcome> paced = context.Runner.RunAsync(
            context.Plan(LoadPlan.ForRate(s.Rps, duration, s.MaxInFlight - Holders)),
            (_, lag, token) => context.SendAsync(fast, lag, token),
            ct,
            context.MarkScheduleStart);
        await Task.WhenAll(holders, paced).ConfigureAwait(false);
        return await paced.ConfigureAwait(false);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
