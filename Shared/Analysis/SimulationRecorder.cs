using PerfTools.Shared.Http;

namespace PerfTools.Shared.Analysis;

/// <summary>Folds the results of one simulated scenario (STYLE habit 1): a cheap <see cref="Add"/> per result, and one
/// <see cref="Complete"/> that computes the percentiles and per-second series into a <see cref="SimulationStats"/>.</summary>
/// <remarks>
/// Memory is flat in the number of requests (habit 4): totals go into two <see cref="LatencyRecorder"/>s (corrected
/// from the due time, raw from the actual send), each second of the run into two sparse <see cref="SecondHistogram"/>s
/// of the same 3-digit buckets, so the seconds add up exactly to the totals (the .hlog's per-second histograms) and a
/// second costs only its distinct buckets. A request
/// belongs to the second it was due in (send time minus lag), so a stall does not move its requests later.
/// Unlike <see cref="LatencyRecorder"/>, this is thread-safe: results complete on many threads at once, so each is
/// folded into one of a few shards, picked by the processor the thread runs on, each with its own lock (as wrk2 keeps
/// one histogram per thread and adds them at the end): two threads rarely want the same shard, where one lock for
/// all was taken tens of thousands of times a second. <see cref="Snapshot"/> (once a second) and <see cref="Complete"/>
/// add the shards up. Results added after <see cref="Complete"/> are ignored, so a request abandoned at an interrupt
/// cannot change a report already written.
/// Each route (request label) also gets its own counts and two 3-digit recorders, for <see cref="SimulationStats.Routes"/>;
/// a scenario names few routes, so this stays small. Routes named "beside" (<c>connection_pool</c>'s pool holders)
/// are kept only there: the scenario's own figures, its series and its histogram describe the other routes.
/// </remarks>
public sealed class SimulationRecorder
{
    // Shards: one per processor, at most this many (each holds two 3-digit histograms, about 0.2 MB).
    private const int MaxShards = 8;

    private static readonly long LateMicros = (long)LoadRunner.LateThreshold.TotalMicroseconds;

    private readonly Lock _lock = new(); // guards _completed and the adding up of shards
    private readonly string _scenario;
    private readonly string _baseUrl;
    private readonly double _targetRps;
    private readonly int _maxInFlight;
    private readonly HashSet<string> _beside;
    private readonly Shard[] _shards;
    private long _startedAtTicks; // UTC ticks of the schedule's start; offset in _startedAtOffset
    private readonly TimeSpan _startedAtOffset;
    private long _sent;
    private long _firstSentTicks = long.MaxValue; // UTC ticks of the earliest send of a headline route
    private volatile bool _closed;
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
        _startedAtTicks = startedAt.UtcTicks;
        _startedAtOffset = startedAt.Offset;
        _targetRps = targetRps;
        _maxInFlight = maxInFlight;
        _beside = new HashSet<string>(besideLabels ?? [], StringComparer.Ordinal);
        _shards = new Shard[Math.Clamp(Environment.ProcessorCount, 1, MaxShards)];
        for (int i = 0; i < _shards.Length; i++)
        {
            _shards[i] = new Shard(_beside);
        }
    }

    /// <summary>The start of the schedule.</summary>
    public DateTimeOffset StartedAt =>
        new DateTimeOffset(Interlocked.Read(ref _startedAtTicks), TimeSpan.Zero).ToOffset(_startedAtOffset);

    /// <summary>Moves the start to when the schedule really began (see <see cref="Http.LoadRunner"/>); called before
    /// the first result arrives, it keeps requests due in the last moments of the run out of an extra second.</summary>
    public void MarkScheduleStart(DateTimeOffset at) => Interlocked.Exchange(ref _startedAtTicks, at.UtcTicks);

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
        if (!_beside.Contains(result.Label) && result.StartedAt.UtcTicks < Interlocked.Read(ref _firstSentTicks))
        {
            // Rarely true after the first results, so the exchange is rare; a race only keeps a slightly later send.
            Interlocked.Exchange(ref _firstSentTicks, result.StartedAt.UtcTicks);
        }

        long dueTicks = result.StartedAt.UtcTicks - result.LagMicros * TimeSpan.TicksPerMicrosecond;
        int second = (int)Math.Clamp((dueTicks - Interlocked.Read(ref _startedAtTicks)) / TimeSpan.TicksPerSecond, 0, int.MaxValue - 1);
        Shard shard = _shards[(uint)Thread.GetCurrentProcessorId() % (uint)_shards.Length];
        lock (shard.Lock)
        {
            if (!_closed)
            {
                shard.Add(result, second);
            }
        }
    }

    /// <summary>The figures so far, without the per-second series (for the live line); the recorder stays open.</summary>
    public SimulationStats Snapshot(double durationSeconds)
    {
        lock (_lock)
        {
            return _completed ?? Build(Total(includeSeconds: false), durationSeconds, null, null, includeSeconds: false);
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
            if (_completed is null)
            {
                _closed = true; // before the shards' locks: an Add that takes one after this sees it and drops its result
                _completed = Build(Total(includeSeconds: true), durationSeconds, rounds, lateRounds, includeSeconds: true);
            }

            return _completed;
        }
    }

    /// <summary>The shards added up, each under its own lock; the per-second series only when
    /// <paramref name="includeSeconds"/> (the live line's snapshot each second does not show it).</summary>
    private Shard Total(bool includeSeconds)
    {
        var total = new Shard(_beside);
        foreach (Shard shard in _shards)
        {
            lock (shard.Lock)
            {
                total.AddShard(shard, includeSeconds);
            }
        }

        return total;
    }

    private SimulationStats Build(Shard t, double durationSeconds, long? rounds, long? lateRounds, bool includeSeconds)
    {
        var seconds = new List<SecondStats>();
        if (includeSeconds)
        {
            // Every second of the run has a row, also the quiet ones at the end, so the series shows the stall.
            // Whole seconds only: a run that ends a hair after its duration gets no empty trailing row.
            int count = Math.Max(t.Seconds.Count, (int)Math.Floor(durationSeconds));
            for (int s = 0; s < count; s++)
            {
                seconds.Add(s < t.Seconds.Count ? t.Seconds[s].ToStats(s) : new SecondStats(s, 0, 0, 0, 0, 0, 0));
            }
        }

        var errorsByKind = ByName(t.Totals.ErrorsByKind);
        return new SimulationStats(
            _scenario, _baseUrl, StartedAt, _targetRps, durationSeconds, _maxInFlight, t.Totals.Requests, t.Totals.Ok,
            t.Totals.Errors, t.Totals.Late, t.MaxLagMicros, LatencySummary.From(t.Totals.Corrected),
            LatencySummary.From(t.Totals.Raw), new SortedDictionary<int, long>(t.Totals.StatusCodes), errorsByKind, rounds,
            lateRounds, seconds)
        {
            LatencyHistogram = includeSeconds ? t.Totals.Corrected.RecordedValues() : [], // the live line does not need it
            LatencyHistogramUncorrected = includeSeconds ? t.Totals.Raw.RecordedValues() : [],
            Routes = includeSeconds ? Routes(t) : [],
            SecondLatencies = includeSeconds
                ? Enumerable.Range(0, seconds.Count)
                    .Select(i => i < t.Seconds.Count ? new SecondLatencies(t.Seconds[i].Corrected, t.Seconds[i].Raw) : new SecondLatencies(new(), new()))
                    .ToList()
                : [],
            FirstSentAt = Interlocked.Read(ref _firstSentTicks) is var first && first != long.MaxValue
                ? new DateTimeOffset(first, TimeSpan.Zero)
                : null,
        };
    }

    /// <summary>Headline routes first, then those beside; each group by label, so the order does not depend on which
    /// request happened to finish first.</summary>
    private List<RouteStats> Routes(Shard t) =>
        t.Routes
            .Select(kv => kv.Value.ToStats(kv.Key, headline: !_beside.Contains(kv.Key)))
            .OrderBy(r => r.Headline ? 0 : 1)
            .ThenBy(r => r.Label, StringComparer.Ordinal)
            .ToList();

    private static Dictionary<string, long> ByName(Dictionary<ErrorKind, long> errorsByKind) =>
        errorsByKind.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(), kv => kv.Value, StringComparer.Ordinal);

    /// <summary>Counts and latencies of a set of results: one route's, or the headline routes' together.</summary>
    private sealed class Tally
    {
        public LatencyRecorder Corrected { get; } = new();

        public LatencyRecorder Raw { get; } = new();

        public SortedDictionary<int, long> StatusCodes { get; } = [];

        public Dictionary<ErrorKind, long> ErrorsByKind { get; } = [];

        public long Requests { get; private set; }

        public long Ok { get; private set; }

        public long Errors { get; private set; }

        public long Late { get; private set; }

        public void Add(RequestResult result)
        {
            Requests++;
            if (result.LagMicros >= LateMicros)
            {
                Late++;
            }

            if (result.IsSuccess)
            {
                Ok++;
            }
            else
            {
                Errors++;
                ErrorsByKind[result.Error] = ErrorsByKind.GetValueOrDefault(result.Error) + 1;
            }

            if (result.HasResponse)
            {
                // Latency describes the server only when it answered; failures without a response are counted as errors.
                StatusCodes[result.StatusCode] = StatusCodes.GetValueOrDefault(result.StatusCode) + 1;
                Corrected.Record(result.CorrectedMicros);
                Raw.Record(result.TotalMicros);
            }
        }

        public void AddTally(Tally other)
        {
            Requests += other.Requests;
            Ok += other.Ok;
            Errors += other.Errors;
            Late += other.Late;
            Corrected.Add(other.Corrected);
            Raw.Add(other.Raw);
            foreach (var (code, n) in other.StatusCodes)
            {
                StatusCodes[code] = StatusCodes.GetValueOrDefault(code) + n;
            }

            foreach (var (kind, n) in other.ErrorsByKind)
            {
                ErrorsByKind[kind] = ErrorsByKind.GetValueOrDefault(kind) + n;
            }
        }

        public RouteStats ToStats(string label, bool headline) => new(
            label, headline, Requests, Ok, Errors, Late, LatencySummary.From(Corrected), LatencySummary.From(Raw),
            new SortedDictionary<int, long>(StatusCodes), ByName(ErrorsByKind))
        {
            LatencyHistogram = Corrected.RecordedValues(),
            LatencyHistogramUncorrected = Raw.RecordedValues(),
        };
    }

    /// <summary>What one shard has folded: totals of the headline routes, their seconds, and every route.</summary>
    private sealed class Shard(HashSet<string> beside)
    {
        public Lock Lock { get; } = new();

        public Tally Totals { get; } = new();

        public List<Bucket> Seconds { get; } = [];

        public Dictionary<string, Tally> Routes { get; } = new(StringComparer.Ordinal);

        public long MaxLagMicros { get; private set; }

        public void Add(RequestResult result, int second)
        {
            RouteOf(result.Label).Add(result);
            if (beside.Contains(result.Label))
            {
                return;
            }

            Totals.Add(result);
            MaxLagMicros = Math.Max(MaxLagMicros, result.LagMicros);
            Bucket bucket = BucketOf(second);
            bucket.Sent++;
            if (result.IsSuccess)
            {
                bucket.Ok++;
            }
            else
            {
                bucket.Errors++;
            }

            if (result.HasResponse)
            {
                bucket.Corrected.Record(result.CorrectedMicros);
                bucket.Raw.Record(result.TotalMicros);
            }
        }

        public void AddShard(Shard other, bool includeSeconds)
        {
            Totals.AddTally(other.Totals);
            MaxLagMicros = Math.Max(MaxLagMicros, other.MaxLagMicros);
            for (int s = 0; includeSeconds && s < other.Seconds.Count; s++)
            {
                BucketOf(s).AddBucket(other.Seconds[s]);
            }

            foreach (var (label, tally) in other.Routes)
            {
                RouteOf(label).AddTally(tally);
            }
        }

        private Tally RouteOf(string label)
        {
            if (!Routes.TryGetValue(label, out Tally? route))
            {
                Routes[label] = route = new Tally();
            }

            return route;
        }

        private Bucket BucketOf(int second)
        {
            while (Seconds.Count <= second)
            {
                Seconds.Add(new Bucket());
            }

            return Seconds[second];
        }
    }

    private sealed class Bucket
    {
        public long Sent { get; set; }

        public long Ok { get; set; }

        public long Errors { get; set; }

        public SecondHistogram Corrected { get; } = new();

        public SecondHistogram Raw { get; } = new();

        public void AddBucket(Bucket other)
        {
            Sent += other.Sent;
            Ok += other.Ok;
            Errors += other.Errors;
            Corrected.Add(other.Corrected);
            Raw.Add(other.Raw);
        }

        public SecondStats ToStats(int second) => new(
            second, Sent, Ok, Errors,
            Corrected.ValueAtPercentileMicros(50), Corrected.ValueAtPercentileMicros(99), Raw.ValueAtPercentileMicros(99));
    }
}
