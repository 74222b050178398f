using PerfTools.Shared.Analysis;
using PerfTools.Shared.Http;

namespace PerfTools.PerformanceAnalyzer;

/// <summary>Measures one endpoint: warm-ups first (not measured; their count and whether latency settled are kept for
/// the reports), then the iterations spread over the workers, each worker pausing the configured delay between its own
/// requests.</summary>
/// <remarks>
/// The first request of an endpoint is sent alone: if it finds no server at all the run stops there instead of
/// hammering a dead host. Warm-ups go one at a time (with the delay after each for a fixed count, back to back in auto
/// mode), until <see cref="WarmupRule"/> says
/// enough. Requests cut short by cancellation are dropped, not recorded: their time measures the Ctrl+C, not the server.
/// </remarks>
/// <param name="warmup"><c>--warmup N</c>; null for auto.</param>
internal sealed class EndpointRunner(
    HttpLoadClient client, RunRecord record, ProgressLine progress, int concurrency, int delayMs, int? warmup, TimeProvider time)
{
    /// <summary>Bytes of a body kept for the walk to read ids from; the rest is counted and discarded, so a huge
    /// answer costs no memory.</summary>
    public const int KeptBodyBytes = 64 * 1024;

    private static readonly ErrorKind[] NoServerKinds = [ErrorKind.Refused, ErrorKind.Dns, ErrorKind.Timeout];

    /// <param name="stopIfNoServer">Send nothing more when the first request finds no server; set for the
    /// run's first endpoint only, since a later timeout is a slow server, not a missing one.</param>
    /// <param name="stage">Both stages, or one: <c>--test-all</c> in auto mode warms every step of its walk before it
    /// measures any (see <see cref="ForumWalk"/>).</param>
    public async Task<EndpointRun> RunAsync(
        EndpointPlan plan, bool stopIfNoServer, CancellationToken ct, EndpointStage stage = EndpointStage.Both)
    {
        int index = 0;
        RequestResult? probe = null;
        string? warmupBody = null; // what a warm-up-only stage hands the walk, from warm-ups instead of measured requests
        RequestResult? warmupFailure = null;
        var rule = WarmupRule.For(warmup, plan.MakeSpec(0).Method); // every spec of a plan has one method
        long warmupStart = time.GetTimestamp();
        while (stage != EndpointStage.MeasureOnly && !ct.IsCancellationRequested
            && rule.WantsMore(time.GetElapsedTime(warmupStart)))
        {
            (RequestResult result, string? body) = await SendAsync(plan, index++, ct).ConfigureAwait(false);
            probe ??= result;
            if (rule.Sent == 0 && stopIfNoServer && IsNoServer(result))
            {
                return new EndpointRun(null, null, Unreachable: true, result);
            }

            if (result.IsSuccess)
            {
                warmupBody ??= body;
            }
            else if (result.Error != ErrorKind.Canceled)
            {
                warmupFailure ??= result;
            }

            // A failed warm-up counts toward the bound; only a latency with a response is judged.
            rule.Add(result.HasResponse ? result.TotalMs : null, time.GetElapsedTime(warmupStart));
            progress.Show(plan.Label + " warm-up", rule.Sent, rule.Limit);
            if (warmup is not null)
            {
                // A fixed count keeps its old pacing; auto goes back to back, as BenchmarkDotNet's warm-up does. Measured
                // (bench/verdicts.sh, A/A pairs of --test-all): back to back 2 false verdicts in 90 comparisons, paced by
                // --delay-ms 10 in 90, and each walk took twice as long.
                await PauseAsync(ct).ConfigureAwait(false);
            }
        }

        if (stage != EndpointStage.MeasureOnly)
        {
            record.AddWarmup(plan.Label, rule.Outcome);
        }

        if (stage == EndpointStage.WarmupOnly)
        {
            progress.Clear();
            return new EndpointRun(warmupBody, warmupFailure, Unreachable: false, probe);
        }

        if (stage == EndpointStage.MeasureOnly)
        {
            record.AddWarmupIfNone(plan.Label, new WarmupOutcome(0, null)); // a step the warm-up walk could not reach
        }

        var state = new MeasureState(plan, index);
        if (probe is null && !ct.IsCancellationRequested)
        {
            // No warm-up: the first measured request is the probe, and it counts.
            RequestResult first = await MeasureOneAsync(state, ct).ConfigureAwait(false);
            probe = first;
            if (stopIfNoServer && IsNoServer(first))
            {
                progress.Clear();
                return new EndpointRun(null, state.FirstFailure, Unreachable: true, first);
            }

            await PauseAsync(ct).ConfigureAwait(false);
        }

        int workers = Math.Min(concurrency, Math.Max(1, plan.Iterations - state.Claimed));
        var tasks = Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkerAsync(state, ct), CancellationToken.None));
        await Task.WhenAll(tasks).ConfigureAwait(false);
        progress.Clear();
        return new EndpointRun(state.FirstSuccessBody, state.FirstFailure, Unreachable: false, probe);
    }

    private async Task WorkerAsync(MeasureState state, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested && state.TryClaim())
        {
            await MeasureOneAsync(state, ct, claimed: true).ConfigureAwait(false);
            if (state.HasMore)
            {
                await PauseAsync(ct).ConfigureAwait(false);
            }
        }
    }

    private async Task<RequestResult> MeasureOneAsync(MeasureState state, CancellationToken ct, bool claimed = false)
    {
        if (!claimed)
        {
            state.TryClaim();
        }

        (RequestResult result, string? body) = await SendAsync(state.Plan, state.NextSpecIndex(), ct).ConfigureAwait(false);
        if (result.Error != ErrorKind.Canceled)
        {
            record.Add(result);
            int done = state.Done(result, body);
            progress.Show(state.Plan.Label, done, state.Plan.Iterations);
        }

        return result;
    }

    private async Task<(RequestResult Result, string? Body)> SendAsync(EndpointPlan plan, int index, CancellationToken ct)
    {
        RequestSpec spec = plan.MakeSpec(index);
        if (!plan.KeepBody && plan.Check is null)
        {
            return (await client.SendAsync(spec, ct).ConfigureAwait(false), null);
        }

        (RequestResult result, string? body) = await client.SendForBodyAsync(spec, ct, maxBodyBytes: KeptBodyBytes).ConfigureAwait(false);
        if (plan.Check is not null && result.IsSuccess)
        {
            result = plan.Check(result, body);
        }

        return (result, body);
    }

    private async Task PauseAsync(CancellationToken ct)
    {
        if (delayMs <= 0)
        {
            return;
        }

        try
        {
            await Task.Delay(delayMs, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C during a pause: the loops see the token and stop sending.
        }
    }

    private static bool IsNoServer(RequestResult result) => NoServerKinds.Contains(result.Error);

    /// <summary>Shared by the workers of one endpoint: who sends which request, and the first answers seen.</summary>
    private sealed class MeasureState(EndpointPlan plan, int firstSpecIndex)
    {
        private readonly Lock _lock = new();
        private int _claimed;
        private int _specIndex = firstSpecIndex;
        private int _completed;

        public EndpointPlan Plan { get; } = plan;

        public int Claimed => Volatile.Read(ref _claimed);

        public bool HasMore => Volatile.Read(ref _claimed) < Plan.Iterations;

        public string? FirstSuccessBody { get; private set; }

        public RequestResult? FirstFailure { get; private set; }

        public bool TryClaim() => Interlocked.Increment(ref _claimed) <= Plan.Iterations;

        public int NextSpecIndex() => Interlocked.Increment(ref _specIndex) - 1;

        /// <returns>How many measured requests have completed, this one included.</returns>
        public int Done(RequestResult result, string? body)
        {
            lock (_lock)
            {
                _completed++;
                if (result.IsSuccess)
                {
                    FirstSuccessBody ??= body;
                }
                else
                {
                    FirstFailure ??= result;
                }

                return _completed;
            }
        }
    }
}

/// <summary>Which part of an endpoint's run <see cref="EndpointRunner.RunAsync"/> does.</summary>
internal enum EndpointStage
{
    /// <summary>Warm-up, then the measured requests.</summary>
    Both,

    /// <summary>The warm-up alone; the bodies it answered stand in for measured ones, so a walk can follow their ids.</summary>
    WarmupOnly,

    /// <summary>The measured requests alone: the warm-up was done earlier.</summary>
    MeasureOnly,
}
