namespace PerfTools.Shared.Http;

/// <summary>Starts work on an exact schedule and charges every late start its lag (wrk2, vegeta): the open model
/// that a slow server cannot slow down, or the closed model when there is no schedule.</summary>
/// <remarks>
/// Open model: the pacer says when item i is due; the loop sleeps until then on the injected clock, takes an
/// in-flight slot (waiting for one when <see cref="LoadPlan.MaxInFlight"/> items are running), and starts the item
/// without awaiting it, passing how late it starts. An item that could not start on time is started as soon as it
/// can, never skipped, so a stall shows as lag instead of as fewer requests (coordinated omission).
/// Cancellation stops starting new items at once; items in flight get <see cref="DrainTimeout"/> to finish before
/// their own token is cancelled.
/// </remarks>
public sealed class LoadRunner
{
    /// <summary>An item is late when it starts this long or longer after its due time: below it is timer jitter.</summary>
    public static readonly TimeSpan LateThreshold = TimeSpan.FromMilliseconds(1);

    /// <summary>An item late through the generator's own delay counts toward its falling behind from this lag on:
    /// below it is a timer waking late. Measured: at 40 requests/s on this 2-core machine (load average 2.7), 1 to 9
    /// of 40 sends started 1–4.5 ms late with every slot free; a generator short of CPU lags by hundreds of ms.</summary>
    public static readonly TimeSpan OwnLateThreshold = TimeSpan.FromMilliseconds(10);

    /// <summary>How long in-flight items may finish after the run is cancelled.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    // Timers wake up to ~1 ms late; sleeping to 1 ms before the due time and sending from there keeps sends on time.
    private static readonly TimeSpan SleepMargin = TimeSpan.FromMilliseconds(1);

    // After the in-flight items are cancelled, how long their cancellation may take to be recorded.
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;

    public LoadRunner(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>Sends <paramref name="next"/>(i) for every i the plan schedules and hands each result to
    /// <paramref name="sink"/>, which is called from many threads at once.</summary>
    public Task<LoadRunOutcome> RunRequestsAsync(
        LoadPlan plan, IRequestSender sender, Func<long, RequestSpec> next, Action<RequestResult> sink, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(sink);
        return RunAsync(plan, async (i, lagMicros, token) => sink(await sender.SendAsync(next(i), token, lagMicros).ConfigureAwait(false)), ct);
    }

    /// <summary>Runs <paramref name="work"/>(index, lagMicros, token) on the plan's schedule.</summary>
    /// <param name="scheduleStarted">Told the wall-clock instant item 0 is due, so per-second series line up with
    /// the schedule rather than with whatever ran before it (JIT, setup).</param>
    /// <returns>What was started and how late; work still running after the drain is abandoned to its cancelled token.</returns>
    /// <exception cref="AggregateException">A work item threw something other than a cancellation (a bug).</exception>
    public async Task<LoadRunOutcome> RunAsync(
        LoadPlan plan, Func<long, long, CancellationToken, Task> work, CancellationToken ct,
        Action<DateTimeOffset>? scheduleStarted = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentOutOfRangeException.ThrowIfLessThan(plan.MaxInFlight, 1, nameof(plan));

        using var inFlight = new CancellationTokenSource();
        var state = new RunState(plan.MaxInFlight, work, inFlight.Token);
        long start = _time.GetTimestamp();
        scheduleStarted?.Invoke(_time.GetUtcNow());
        bool canceled;
        try
        {
            if (plan.Pacer is { } pacer)
            {
                await PaceAsync(pacer, state, start, ct).ConfigureAwait(false);
            }
            else
            {
                await ClosedAsync(plan.Duration, state, _time, ct).ConfigureAwait(false);
            }

            canceled = false;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            canceled = true;
        }

        TimeSpan elapsed = _time.GetElapsedTime(start);
        if (!canceled)
        {
            try
            {
                // The schedule is over: every item gets its own timeout to finish, unless the caller stops the run.
                await state.WaitAllAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                canceled = true;
            }
        }

        if (canceled)
        {
            await DrainAsync(state, inFlight).ConfigureAwait(false);
        }

        if (!state.Faults.IsEmpty)
        {
            throw new AggregateException("A load work item failed.", state.Faults);
        }

        if (!canceled && elapsed < plan.Duration)
        {
            elapsed = plan.Duration; // the last item is due before the end; the schedule still covered all of it
        }

        return new LoadRunOutcome(state.Started, state.Late, state.MaxLagMicros, elapsed, canceled)
        {
            LateOwn = state.LateOwn,
            MaxOwnLagMicros = state.MaxOwnLagMicros,
        };
    }

    private async Task PaceAsync(ConstantPacer pacer, RunState state, long start, CancellationToken ct)
    {
        // Whether the loop has waited for an in-flight slot since it was last on time: a late item is then late
        // because the target held every slot (its wait is the target's), else through the generator's own delay.
        bool slotWaitSinceOnTime = false;
        for (long i = 0; ; i++)
        {
            PaceDecision decision;
            while (!(decision = pacer.Pace(_time.GetElapsedTime(start), i)).Stop && decision.Wait > SleepMargin)
            {
                await Task.Delay(decision.Wait - SleepMargin, _time, ct).ConfigureAwait(false);
            }

            if (decision.Stop)
            {
                return;
            }

            ct.ThrowIfCancellationRequested();
            if (_time.GetElapsedTime(start) - pacer.DueTime(i) < LateThreshold)
            {
                slotWaitSinceOnTime = false;
            }

            // Waiting for a slot makes the item late; the lag below charges that wait to its latency.
            Task slot = state.Slots.WaitAsync(ct);
            if (!slot.IsCompleted)
            {
                slotWaitSinceOnTime = true;
                await slot.ConfigureAwait(false);
            }
            else
            {
                await slot.ConfigureAwait(false); // completed: rethrows a cancellation
            }

            // Signed: the loop wakes up to SleepMargin early rather than oversleep, and an early send must still be
            // placed in the second it was due in.
            TimeSpan lag = _time.GetElapsedTime(start) - pacer.DueTime(i);
            state.Start(i, (long)lag.TotalMicroseconds, own: !slotWaitSinceOnTime);
        }
    }

    private static async Task ClosedAsync(TimeSpan duration, RunState state, TimeProvider time, CancellationToken ct)
    {
        // Closed model, as wrk runs one loop per connection: each of the MaxInFlight workers holds one slot for the
        // whole run and sends back to back, so no request waits for a single dispatcher to hand it a slot.
        using var end = new CancellationTokenSource(duration, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, end.Token);
        for (int w = 0; w < state.MaxInFlight; w++)
        {
            await state.Slots.WaitAsync(ct).ConfigureAwait(false); // free: nothing else holds slots yet
            _ = state.RunWorkerAsync(either.Token);
        }

        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // the duration is over; the workers finish the request they are in
        }
    }

    private async Task DrainAsync(RunState state, CancellationTokenSource inFlight)
    {
        using (var drain = new CancellationTokenSource(DrainTimeout, _time))
        {
            try
            {
                await state.WaitAllAsync(drain.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException)
            {
                // still running after the drain timeout: cancel them below
            }
        }

        await inFlight.CancelAsync().ConfigureAwait(false);
        using var grace = new CancellationTokenSource(CancelGrace, _time);
        try
        {
            await state.WaitAllAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // abandoned: they finish on their cancelled token
        }
    }

    /// <summary>The counters and slots shared by the pacing loop and the items it starts.</summary>
    private sealed class RunState(int maxInFlight, Func<long, long, CancellationToken, Task> work, CancellationToken itemToken)
    {
        private static readonly long LateMicros = (long)LateThreshold.TotalMicroseconds;
        private static readonly long OwnLateMicros = (long)OwnLateThreshold.TotalMicroseconds;
        private long _started;
        private long _nextIndex;
        private long _late;
        private long _lateOwn;
        private long _maxLagMicros;
        private long _maxOwnLagMicros;

        public int MaxInFlight => maxInFlight;

        public SemaphoreSlim Slots { get; } = new(maxInFlight, maxInFlight);

        public System.Collections.Concurrent.ConcurrentQueue<Exception> Faults { get; } = new();

        public long Started => Interlocked.Read(ref _started);

        public long Late => Interlocked.Read(ref _late);

        public long MaxLagMicros => Interlocked.Read(ref _maxLagMicros);

        public long LateOwn => Interlocked.Read(ref _lateOwn);

        public long MaxOwnLagMicros => Interlocked.Read(ref _maxOwnLagMicros);

        /// <summary>Starts item <paramref name="index"/> in a slot already taken; the slot is freed when it ends.</summary>
        /// <param name="own">A lag is the generator's own (no wait for a slot since the loop was last on time).</param>
        public void Start(long index, long lagMicros, bool own)
        {
            Interlocked.Increment(ref _started);
            if (lagMicros >= LateMicros)
            {
                Interlocked.Increment(ref _late);
                if (own)
                {
                    RaiseTo(ref _maxOwnLagMicros, lagMicros);
                    if (lagMicros >= OwnLateMicros)
                    {
                        Interlocked.Increment(ref _lateOwn);
                    }
                }
            }

            RaiseTo(ref _maxLagMicros, lagMicros);

            _ = RunItemAsync(index, lagMicros);
        }

        // Only the pacing loop starts items, but the run's outcome reads the maxima from another thread.
        private static void RaiseTo(ref long max, long value)
        {
            if (value > Interlocked.Read(ref max))
            {
                Interlocked.Exchange(ref max, value);
            }
        }

        /// <summary>Returns once no item is running, by taking every slot (and giving them back).</summary>
        public async Task WaitAllAsync(CancellationToken ct)
        {
            int taken = 0;
            try
            {
                for (; taken < maxInFlight; taken++)
                {
                    await Slots.WaitAsync(ct).ConfigureAwait(false);
                }
            }
            finally
            {
                if (taken > 0)
                {
                    Slots.Release(taken);
                }
            }
        }

        /// <summary>Closed model: runs items back to back in a slot already taken until <paramref name="stop"/>, then
        /// frees the slot.</summary>
        public async Task RunWorkerAsync(CancellationToken stop)
        {
            await Task.Yield(); // the starting loop must not run the first send inline
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    long index = Interlocked.Increment(ref _nextIndex) - 1;
                    Interlocked.Increment(ref _started);
                    await work(index, 0, itemToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (itemToken.IsCancellationRequested)
            {
                // abandoned after the drain
            }
            catch (Exception e)
            {
                Faults.Enqueue(e);
            }
            finally
            {
                Slots.Release();
            }
        }

        private async Task RunItemAsync(long index, long lagMicros)
        {
            try
            {
                await work(index, lagMicros, itemToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (itemToken.IsCancellationRequested)
            {
                // abandoned after the drain
            }
            catch (Exception e)
            {
                Faults.Enqueue(e);
            }
            finally
            {
                Slots.Release();
            }
        }
    }
}
