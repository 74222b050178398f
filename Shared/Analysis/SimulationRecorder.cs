using PerfTools.Shared.Http;

namespace PerfTools.Shared.Analysis;

/// <summary>Folds the results of one simulated scenario (STYLE habit 1): a cheap <see cref="Add"/> per result, and one
/// <see cref="Complete"/> that computes the percentiles and per-second series into a <see cref="SimulationStats"/>.</summary>
/// <remarks>
/// Memory is flat in the number of requests (habit 4): totals go into two <see cref="LatencyRecorder"/>s (corrected
/// from the due time, raw from the actual send), each second of the run into two small 2-digit ones. A request
/// belongs to the second it was due in (send time minus lag), so a stall does not move its requests later.
/// Unlike <see cref="LatencyRecorder"/>, this is thread-safe: results complete on many threads at once and the lock
/// guards only a few counter updates. Results added after <see cref="Complete"/> are ignored, so a request abandoned
/// at an interrupt cannot change a report already written.
/// Each route (request label) also gets its own counts and two 3-digit recorders, for <see cref="SimulationStats.Routes"/>;
/// a scenario names few routes, so this stays small. Routes named "beside" (<c>connection_pool</c>'s pool holders)
/// are kept only there: the scenario's own figures, its series and its histogram describe the other routes.
/// </remarks>
public sealed class SimulationRecorder
{
    private const int SecondDigits = 2;
    private static readonly long LateMicros = (long)LoadRunner.LateThreshold.TotalMicroseconds;

    private readonly Lock _lock = new();
    private readonly string _scenario;
    private readonly string _baseUrl;
    private DateTimeOffset _startedAt;
    private readonly double _targetRps;
    private readonly int _maxInFlight;
    private readonly LatencyRecorder _corrected = new();
    private readonly LatencyRecorder _raw = new();
    private readonly SortedDictionary<int, long> _statusCodes = [];
    private readonly Dictionary<ErrorKind, long> _errorsByKind = [];
    private readonly List<Bucket> _seconds = [];
    private readonly HashSet<string> _beside;
    private readonly Dictionary<string, Route> _routes = new(StringComparer.Ordinal);
    private long _sent;
    private long _requests;
    private long _ok;
    private long _errors;
    private long _late;
    private long _maxLagMicros;
    private SimulationStats? _completed;

    /// <param name="startedAt">The start of the schedule, on the same clock that stamps <see cref="RequestResult.StartedAt"/>.</param>
    /// <param name="targetRps">Requests per second asked for, 0 for the closed model.</param>
    /// <param name="besideLabels">Labels reported beside the scenario's figures rather than in them; none by default.</param>
    public SimulationRecorder(
        string scenario, string baseUrl, DateTimeOffset startedAt, double targetRps, int maxInFlight, IEnumerable<string>? besideLabels = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(scenario);
        ArgumentNullException.ThrowIfNull(baseUrl);
        _scenario = scenario;
        _baseUrl = baseUrl;
        _startedAt = startedAt;
        _targetRps = targetRps;
        _maxInFlight = maxInFlight;
        _beside = new HashSet<string>(besideLabels ?? [], StringComparer.Ordinal);
    }

    /// <summary>The start of the schedule.</summary>
    public DateTimeOffset StartedAt
    {
        get
        {
            lock (_lock)
            {
                return _startedAt;
            }
        }
    }

    /// <summary>Moves the start to when the schedule really began (see <see cref="Http.LoadRunner"/>); called before
    /// the first result arrives, it keeps requests due in the last moments of the run out of an extra second.</summary>
    public void MarkScheduleStart(DateTimeOffset at)
    {
        lock (_lock)
        {
            _startedAt = at;
        }
    }

    /// <summary>Requests of the headline routes handed to the network so far, including those still in flight (for
    /// the live line, beside the figures of the same routes).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Counts a request with <paramref name="label"/> as sent; its result follows through <see cref="Add"/>.</summary>
    public void NoteSent(string label)
    {
        if (!_beside.Contains(label))
        {
            Interlocked.Increment(ref _sent);
        }
    }

    public void Add(RequestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        DateTimeOffset due = result.StartedAt - TimeSpan.FromMicroseconds(result.LagMicros);
        lock (_lock)
        {
            int second = (int)Math.Clamp((due - _startedAt).Ticks / TimeSpan.TicksPerSecond, 0, int.MaxValue - 1);
            if (_completed is not null)
            {
                return;
            }

            if (!_routes.TryGetValue(result.Label, out Route? route))
            {
                _routes[result.Label] = route = new Route();
            }

            route.Add(result);
            if (_beside.Contains(result.Label))
            {
                return;
            }

            while (_seconds.Count <= second)
            {
                _seconds.Add(new Bucket());
            }

            Bucket bucket = _seconds[second];
            _requests++;
            bucket.Sent++;
            if (result.LagMicros >= LateMicros)
            {
                _late++;
            }

            _maxLagMicros = Math.Max(_maxLagMicros, result.LagMicros);
            if (result.IsSuccess)
            {
                _ok++;
                bucket.Ok++;
            }
            else
            {
                _errors++;
                bucket.Errors++;
                _errorsByKind[result.Error] = _errorsByKind.GetValueOrDefault(result.Error) + 1;
            }

            if (result.HasResponse)
            {
                // Latency describes the server only when it answered; failures without a response are counted as errors.
                _statusCodes[result.StatusCode] = _statusCodes.GetValueOrDefault(result.StatusCode) + 1;
                _corrected.Record(result.CorrectedMicros);
                _raw.Record(result.TotalMicros);
                bucket.Corrected.Record(result.CorrectedMicros);
                bucket.Raw.Record(result.TotalMicros);
            }
        }
    }

    /// <summary>The figures so far, without the per-second series (for the live line); the recorder stays open.</summary>
    public SimulationStats Snapshot(double durationSeconds)
    {
        lock (_lock)
        {
            return _completed ?? Build(durationSeconds, null, null, includeSeconds: false);
        }
    }

    /// <summary>Computes the final figures once; later calls return the same, and later results are ignored.</summary>
    /// <param name="durationSeconds">How long requests were started for.</param>
    /// <param name="rounds">Rounds started, for round-based scenarios.</param>
    /// <param name="lateRounds">Rounds started late.</param>
    public SimulationStats Complete(double durationSeconds, long? rounds = null, long? lateRounds = null)
    {
        lock (_lock)
        {
            return _completed ??= Build(durationSeconds, rounds, lateRounds, includeSeconds: true);
        }
    }

    private SimulationStats Build(double durationSeconds, long? rounds, long? lateRounds, bool includeSeconds)
    {
        var seconds = new List<SecondStats>();
        if (includeSeconds)
        {
            // Every second of the run has a row, also the quiet ones at the end, so the series shows the stall.
            // Whole seconds only: a run that ends a hair after its duration gets no empty trailing row.
            int count = Math.Max(_seconds.Count, (int)Math.Floor(durationSeconds));
            for (int s = 0; s < count; s++)
            {
                seconds.Add(s < _seconds.Count ? _seconds[s].ToStats(s) : new SecondStats(s, 0, 0, 0, 0, 0, 0));
            }
        }

        var errorsByKind = ByName(_errorsByKind);
        return new SimulationStats(
            _scenario, _baseUrl, _startedAt, _targetRps, durationSeconds, _maxInFlight, _requests, _ok, _errors, _late,
            _maxLagMicros, LatencySummary.From(_corrected), LatencySummary.From(_raw),
            new SortedDictionary<int, long>(_statusCodes), errorsByKind, rounds, lateRounds, seconds)
        {
            LatencyHistogram = includeSeconds ? _corrected.RecordedValues() : [], // the live line does not need it
            LatencyHistogramUncorrected = includeSeconds ? _raw.RecordedValues() : [],
            Routes = includeSeconds ? Routes() : [],
        };
    }

    /// <summary>Headline routes first, then those beside; each group by label, so the order does not depend on which
    /// request happened to finish first.</summary>
    private List<RouteStats> Routes() =>
        _routes
            .Select(kv => kv.Value.ToStats(kv.Key, headline: !_beside.Contains(kv.Key)))
            .OrderBy(r => r.Headline ? 0 : 1)
            .ThenBy(r => r.Label, StringComparer.Ordinal)
            .ToList();

    private static Dictionary<string, long> ByName(Dictionary<ErrorKind, long> errorsByKind) =>
        errorsByKind.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(), kv => kv.Value, StringComparer.Ordinal);

    /// <summary>One route's counts and latencies; the totals above do the same for the headline routes together.</summary>
    private sealed class Route
    {
        private readonly LatencyRecorder _corrected = new();
        private readonly LatencyRecorder _raw = new();
        private readonly SortedDictionary<int, long> _statusCodes = [];
        private readonly Dictionary<ErrorKind, long> _errorsByKind = [];
        private long _requests;
        private long _ok;
        private long _errors;
        private long _late;

        public void Add(RequestResult result)
        {
            _requests++;
            if (result.LagMicros >= LateMicros)
            {
                _late++;
            }

            if (result.IsSuccess)
            {
                _ok++;
            }
            else
            {
                _errors++;
                _errorsByKind[result.Error] = _errorsByKind.GetValueOrDefault(result.Error) + 1;
            }

            if (result.HasResponse)
            {
                _statusCodes[result.StatusCode] = _statusCodes.GetValueOrDefault(result.StatusCode) + 1;
                _corrected.Record(result.CorrectedMicros);
                _raw.Record(result.TotalMicros);
            }
        }

        public RouteStats ToStats(string label, bool headline) => new(
            label, headline, _requests, _ok, _errors, _late, LatencySummary.From(_corrected), LatencySummary.From(_raw),
            new SortedDictionary<int, long>(_statusCodes), ByName(_errorsByKind));
    }

    private sealed class Bucket
    {
        public long Sent { get; set; }

        public long Ok { get; set; }

        public long Errors { get; set; }

        public LatencyRecorder Corrected { get; } = new(SecondDigits);

        public LatencyRecorder Raw { get; } = new(SecondDigits);

        public SecondStats ToStats(int second) => new(
            second, Sent, Ok, Errors,
            Corrected.ValueAtPercentileMicros(50), Corrected.ValueAtPercentileMicros(99), Raw.ValueAtPercentileMicros(99));
    }
}
