using PerfTools.Shared.Analysis;
using PerfTools.Shared.Http;
using PerfTools.Shared.Text;


namespace PerfTools.BottleneckSimulator.Scenarios;

/// <summary>What a scenario runs with: the settings, the client and clock, and the recorder every measured request
/// goes to; it also notices when the target cannot be reached and stops the scenario then.</summary>
internal sealed class ScenarioContext : IDisposable
{
    private readonly Action<RequestResult>? _observe;
    private readonly CancellationTokenSource _unreachable = new();
    private int _anyResponse;

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

    /// <summary>Starts the recorder at the start of the schedule, so setup time is not in the per-second series.</summary>
    /// <param name="besideLabels">Labels reported beside the scenario's figures rather than in them (see
    /// <see cref="SimulationRecorder"/>); none by default.</param>
    public SimulationRecorder StartRecording(double targetRps, IEnumerable<string>? besideLabels = null) =>
        Recorder = new SimulationRecorder(Scenario, Settings.BaseUrl.ToString(), Time.GetUtcNow(), targetRps, Settings.MaxInFlight, besideLabels);

    /// <summary>Lines the recorder's seconds up with the schedule; pass to <see cref="LoadRunner.RunAsync"/>.</summary>
    public void MarkScheduleStart(DateTimeOffset at) => Recorder?.MarkScheduleStart(at);

    /// <summary>A request to <paramref name="path"/> under the base URL, with the <c>--header</c>s.</summary>
    public RequestSpec Spec(string label, string method, string path, byte[]? body = null) =>
        new(label, method, Settings.Url(path), Settings.Headers, body);

    /// <summary>Sends one measured request of the schedule and records it.</summary>
    public async Task<RequestResult> SendAsync(RequestSpec spec, long lagMicros, CancellationToken ct)
    {
        SimulationRecorder recorder = Recorder ?? throw new InvalidOperationException("StartRecording first");
        recorder.NoteSent(spec.Label);
        RequestResult result = await Client.SendAsync(spec, ct, lagMicros).ConfigureAwait(false);
        recorder.Add(result);
        _observe?.Invoke(result);
        Check(result);
        return result;
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

    /// <summary>Runs <paramref name="round"/>(index, lagMicros, token) every <paramref name="interval"/> for the
    /// duration; the in-flight cap counts rounds, each holding <paramref name="requestsPerRound"/> requests at once.</summary>
    public Task<LoadRunOutcome> RunRoundsAsync(
        TimeSpan interval, int requestsPerRound, Func<long, long, CancellationToken, Task> round, CancellationToken ct)
    {
        var plan = new LoadPlan(
            ConstantPacer.Every(interval, Settings.Duration), Settings.Duration, Math.Max(1, Settings.MaxInFlight / requestsPerRound));
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
