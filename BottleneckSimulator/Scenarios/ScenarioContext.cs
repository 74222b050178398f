using PerfTools.Shared.Analysis;
using PerfTools.Shared.Http;
using PerfTools.Shared.Text;


namespace PerfTools.BottleneckSimulator.Scenarios;

/// <summary>What a scenario runs with: the settings, the client and clock, and the recorder every measured request
/// goes to; it runs the scenario's warm-up before the measured schedule, and notices when the target cannot be reached
/// and stops the scenario then.</summary>
internal sealed class ScenarioContext : IDisposable
{
    private readonly Action<RequestResult>? _observe;
    private readonly CancellationTokenSource _unreachable = new();
    private int _anyResponse;
    private long _warmupRequests;
    private long _warmupStarted; // a timestamp of Time
    private int _warmingUp;

    /// <param name="scenario">The scenario's name, as its recorder and reports give it.</param>
    public ScenarioContext(string scenario, SimulatorSettings settings, HttpLoadClient client, TimeProvider time, Action<RequestResult>? observe)
    {
        Scenario = scenario;
        Settings = settings;
        Client = client;
        Time = time;
        Runner = new LoadRunner(time);
        _observe = observe;
    }

    public string Scenario { get; }

    public SimulatorSettings Settings { get; }

    public HttpLoadClient Client { get; }

    public TimeProvider Time { get; }

    public LoadRunner Runner { get; }

    /// <summary>Created by <see cref="StartRecording"/> when the schedule starts; null while setting up.</summary>
    public SimulationRecorder? Recorder { get; private set; }

    /// <summary>The one line saying the target is unreachable, once a connection was refused (or the name did not
    /// resolve) before any response arrived; null otherwise.</summary>
    public string? Unreachable { get; private set; }

    /// <summary>Cancelled when the target turns out to be unreachable.</summary>
    public CancellationToken UnreachableToken => _unreachable.Token;

    /// <summary>Told once the warm-up is over (or was cut short), before the measured schedule starts; not called
    /// when there is no warm-up.</summary>
    public Action<ScenarioWarmup>? WarmedUp { get; set; }

    /// <summary>Requests the warm-up sent (none of them recorded).</summary>
    public long WarmupRequests => Interlocked.Read(ref _warmupRequests);

    /// <summary>How long the warm-up has run, while it runs; null before and after it.</summary>
    public TimeSpan? WarmupElapsed => Volatile.Read(ref _warmingUp) == 1 ? Time.GetElapsedTime(Interlocked.Read(ref _warmupStarted)) : null;

    /// <summary>Sends the scenario's <paramref name="traffic"/> for <c>--warmup</c> without recording it, so the
    /// target's JIT, caches and pools are warm, then starts the recorder and sends it again for <c>--duration</c>: the
    /// measured schedule's time zero is after the warm-up. A warm-up cut short (Ctrl+C, an unreachable target) ends the
    /// scenario with nothing measured.</summary>
    /// <param name="traffic">The scenario's schedule for a given duration: it sends through <see cref="SendAsync"/>
    /// and hands <see cref="MarkScheduleStart"/> to the runner.</param>
    /// <param name="roundBased">The runner's items are rounds of requests (see <see cref="ScenarioOutcome"/>).</param>
    /// <remarks>With <c>--start-at</c> the warm-up ends at the start time: it begins <c>--warmup</c> + 1 s before it
    /// (at once when that has passed) and stops sending 1 s before it, so its answers are in when the measured schedule
    /// starts exactly at the start time; when they are not, the schedule's first items are sent late and charged the
    /// lag, so every shard keeps the same time zero.</remarks>
    public async Task<ScenarioOutcome> WarmUpThenRunAsync(
        double targetRps, bool roundBased, Func<TimeSpan, CancellationToken, Task<LoadRunOutcome>> traffic, CancellationToken ct,
        IEnumerable<string>? besideLabels = null)
    {
        TimeSpan warmup = Settings.Warmup;
        if (Settings.StartAt is { } startAt && warmup > TimeSpan.Zero)
        {
            await DelayUntilAsync(startAt - warmup - StartAtMargin, ct).ConfigureAwait(false);
            TimeSpan left = startAt - StartAtMargin - Time.GetUtcNow();
            warmup = left < warmup ? left : warmup;
        }

        if (warmup >= TimeSpan.FromMilliseconds(1))
        {
            Interlocked.Exchange(ref _warmupStarted, Time.GetTimestamp());
            Volatile.Write(ref _warmingUp, 1);
            LoadRunOutcome warm;
            try
            {
                warm = await traffic(warmup, ct).ConfigureAwait(false);
            }
            finally
            {
                Volatile.Write(ref _warmingUp, 0);
            }

            WarmedUp?.Invoke(new ScenarioWarmup(warmup, warm.Elapsed, WarmupRequests, targetRps, warm.Canceled));
            if (warm.Canceled)
            {
                return ScenarioOutcome.Skipped(Unreachable ?? WarmupCutShort);
            }
        }

        if (Settings.StartAt is { } start)
        {
            await DelayUntilAsync(start, ct).ConfigureAwait(false);
        }

        StartRecording(targetRps, besideLabels);
        LoadRunOutcome run = await traffic(Settings.Duration, ct).ConfigureAwait(false);
        return new ScenarioOutcome(run, null, roundBased);
    }

    /// <summary>Between the warm-up's last send and <c>--start-at</c>: time for its answers to come in.</summary>
    public static readonly TimeSpan StartAtMargin = TimeSpan.FromSeconds(1);

    /// <summary>Items (requests, or rounds) the measured schedule has due in this shard; null before it is planned and
    /// for the closed model.</summary>
    public long? Due { get; private set; }

    /// <summary>When this shard's first item is due after the schedule's start; null as <see cref="Due"/>.</summary>
    public TimeSpan? FirstDue { get; private set; }

    /// <summary>The plan as this process runs it: its shard of the schedule (<c>--shard</c>), and for the measured run
    /// with <c>--start-at</c>, timed from the start time even when the runner starts a moment after it.</summary>
    public LoadPlan Plan(LoadPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        bool measured = Recorder is not null;
        TimeSpan offset = TimeSpan.Zero;
        if (measured && Settings.StartAt is { } startAt && Time.GetUtcNow() - startAt is { } late && late > TimeSpan.Zero)
        {
            offset = late;
        }

        LoadPlan shard = plan.Shard(Settings.Shard.Index, Settings.Shard.Count, offset);
        if (measured && shard.Pacer is { } pacer)
        {
            Due = pacer.ShardItems;
            FirstDue = pacer.DueTime(0) + offset;
        }

        return shard;
    }

    /// <summary>The schedule's index of this shard's item <paramref name="local"/> (the same when not sharded).</summary>
    public long GlobalIndex(long local) => Settings.Shard.GlobalIndex(local);

    private async Task DelayUntilAsync(DateTimeOffset at, CancellationToken ct)
    {
        TimeSpan wait = at - Time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, Time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Why a scenario stopped during its warm-up by Ctrl+C has no figures, in the skip line's words.</summary>
    public const string WarmupCutShort = "interrupted during the warm-up, before anything was measured (the warm-up is not recorded)";

    /// <summary>Starts the recorder at the start of the schedule, so setup time is not in the per-second series.</summary>
    /// <param name="besideLabels">Labels reported beside the scenario's figures rather than in them (see
    /// <see cref="SimulationRecorder"/>); none by default.</param>
    public SimulationRecorder StartRecording(double targetRps, IEnumerable<string>? besideLabels = null) =>
        Recorder = new SimulationRecorder(Scenario, Settings.BaseUrl.ToString(), Time.GetUtcNow(), targetRps, Settings.MaxInFlight, besideLabels);

    /// <summary>Lines the recorder's seconds up with the schedule; pass to <see cref="LoadRunner.RunAsync"/>.</summary>
    /// <remarks>With <c>--start-at</c> the start time is the time zero, on every shard alike.</remarks>
    public void MarkScheduleStart(DateTimeOffset at) => Recorder?.MarkScheduleStart(Settings.StartAt ?? at);

    /// <summary>A request to <paramref name="path"/> under the base URL, with the <c>--header</c>s.</summary>
    public RequestSpec Spec(string label, string method, string path, byte[]? body = null) =>
        new(label, method, Settings.Url(path), Settings.Headers, body);

    /// <summary>Sends one request of the schedule and records it; during the warm-up, only counts it.</summary>
    public async Task<RequestResult> SendAsync(RequestSpec spec, long lagMicros, CancellationToken ct)
    {
        BeforeSend(spec);
        RequestResult result = await Client.SendAsync(spec, ct, lagMicros).ConfigureAwait(false);
        Record(result);
        return result;
    }

    /// <summary>The closed model: <paramref name="spec"/> back to back on <paramref name="maxInFlight"/> connections for
    /// <paramref name="duration"/>, each result recorded as <see cref="SendAsync"/> records it; on the engine's event
    /// loops when they can carry it (<see cref="HttpLoadClient.TryClosedLoop"/>), else through <see cref="Runner"/>.</summary>
    public Task<LoadRunOutcome> RunClosedAsync(RequestSpec spec, TimeSpan duration, int maxInFlight, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Client.TryClosedLoop(spec, maxInFlight) is { } loops
            ? loops.RunAsync(duration, () => BeforeSend(spec), Record, ct, MarkScheduleStart)
            : Runner.RunAsync(Plan(LoadPlan.ForRate(0, duration, maxInFlight)), (_, lag, token) => SendAsync(spec, lag, token), ct, MarkScheduleStart);
    }

    private void BeforeSend(RequestSpec spec)
    {
        SimulationRecorder? recorder = Recorder;
        if (recorder is null)
        {
            if (Volatile.Read(ref _warmingUp) == 0)
            {
                throw new InvalidOperationException("StartRecording or WarmUpThenRunAsync first");
            }

            Interlocked.Increment(ref _warmupRequests);
        }

        recorder?.NoteSent(spec.Label);
    }

    private void Record(RequestResult result)
    {
        Recorder?.Add(result);
        _observe?.Invoke(result);
        Check(result);
    }

    /// <summary>Sends one setup request (not measured) and returns its body.</summary>
    public async Task<(RequestResult Result, string? Body)> SetupAsync(RequestSpec spec, CancellationToken ct)
    {
        var answer = await Client.SendForBodyAsync(spec, ct).ConfigureAwait(false);
        _observe?.Invoke(answer.Result);
        Check(answer.Result);
        return answer;
    }

    /// <summary>One setup <c>POST</c> that creates an object: its id, or the one line saying why the setup failed.</summary>
    public async Task<(string? Id, string? Failure)> CreateAsync(string path, object body, CancellationToken ct)
    {
        var (result, text) = await SetupAsync(Spec($"POST {path}", "POST", path, ApiJson.Body(body)), ct).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return (null, SetupFailure(result));
        }

        return ApiJson.IdOf(text) is { } id ? (id, null) : (null, $"setup POST {path} answered without an id");
    }

    /// <summary>One setup request that must succeed, e.g. to check that a route exists before load is put on it: null
    /// when it did, else the one line saying why the setup failed.</summary>
    public async Task<string?> CheckAsync(RequestSpec spec, CancellationToken ct)
    {
        var (result, _) = await SetupAsync(spec, ct).ConfigureAwait(false);
        return result.IsSuccess ? null : SetupFailure(result);
    }

    /// <summary>Runs <paramref name="round"/>(index, lagMicros, token) every <paramref name="interval"/> for
    /// <paramref name="duration"/>; the in-flight cap counts rounds, each holding <paramref name="requestsPerRound"/>
    /// requests at once.</summary>
    public Task<LoadRunOutcome> RunRoundsAsync(
        TimeSpan interval, TimeSpan duration, int requestsPerRound, Func<long, long, CancellationToken, Task> round, CancellationToken ct)
    {
        LoadPlan plan = Plan(new LoadPlan(
            ConstantPacer.Every(interval, duration), duration, Math.Max(1, Settings.MaxInFlight / requestsPerRound)));
        return Runner.RunAsync(plan, round, ct, MarkScheduleStart);
    }

    /// <summary>"setup POST /boards: HTTP 404 Not Found" style line for a setup step that did not work.</summary>
    public static string SetupFailure(RequestResult r) =>
        $"setup {r.Label} failed: {SafeText.Printable(r.ErrorMessage ?? $"HTTP {r.StatusCode}")}";

    public void Dispose() => _unreachable.Dispose();

    private void Check(RequestResult result)
    {
        if (result.HasResponse)
        {
            Volatile.Write(ref _anyResponse, 1);
            return;
        }

        if (Volatile.Read(ref _anyResponse) == 0 && result.Error is ErrorKind.Refused or ErrorKind.Dns && Unreachable is null)
        {
            string why = result.Error == ErrorKind.Refused ? "connection refused" : "host name not found";
            Unreachable = $"unreachable: {Settings.BaseUrl} ({why})";
            _unreachable.Cancel();
        }
    }
}
