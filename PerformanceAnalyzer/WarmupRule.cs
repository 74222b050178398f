using PerfTools.Shared.Analysis;

namespace PerfTools.PerformanceAnalyzer;

/// <summary>When an endpoint's warm-up ends: after a fixed count (<c>--warmup N</c>), or, in auto mode, once its
/// latency stops drifting, as BenchmarkDotNet's warm-up stage runs until the workload's time per operation settles.
/// Holds no clock and never sends: the runner reports each warm-up request and the time since the first.</summary>
/// <remarks>
/// Auto: requests go in batches of <see cref="BatchSize"/>; latency is steady when the medians of the last
/// <see cref="ComparedBatches"/> batches agree, their max − min at most <see cref="RelativeTolerance"/> of the middle one
/// or at most <see cref="AbsoluteToleranceMs"/> (a sub-ms endpoint's medians differ by a few µs of scheduling noise,
/// which is 5 % of 0.1 ms). Medians, not means, so one stray slow request in a batch does not keep it drifting.
/// Agreeing medians settle it only once the warm-up has run for <see cref="MinDuration"/> or sent
/// <see cref="MinRequests"/>: a server's runtime keeps compiling its hot code after it first runs (.NET's tiered JIT
/// waits until no new method has been compiled for 100 ms, then counts 30 calls and compiles again in the background;
/// a JVM counts thousands), and 30 back-to-back requests to a 1 ms endpoint are over in about 50 ms, before that starts.
/// Measured against the sample API just started: the server's own time for <c>GET /health</c> was 0.13–0.19 ms in
/// the first run after 1–2 s of warm-up and 0.06–0.08 ms in every run after it, so this floor alone does not warm
/// a new server; <c>--test-all</c> also warms its whole walk first (see <see cref="ForumWalk"/>).
/// It gives up, unsettled, after <see cref="MaxRequests"/> requests or <see cref="MaxDuration"/>. A method that changes
/// state (anything but GET, HEAD, OPTIONS and TRACE, RFC 9110's safe methods) gets at most
/// <see cref="MaxStateChangingRequests"/>: each one creates data, and its latency is not judged.
/// </remarks>
internal sealed class WarmupRule
{
    public const int BatchSize = 10;
    public const int ComparedBatches = 3;
    public const double RelativeTolerance = 0.05;
    public const double AbsoluteToleranceMs = 0.05;
    public const int MaxRequests = 5000;
    public const int MaxStateChangingRequests = 5;
    public const int MinRequests = 2000;
    public static readonly TimeSpan MinDuration = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(10);

    private static readonly string[] SafeMethods = ["GET", "HEAD", "OPTIONS", "TRACE"];

    private readonly int? _count; // a fixed count: send this many, judge nothing; null in auto mode
    private readonly List<double> _batch = new(BatchSize); // ms, of the current batch's requests that got a response
    private readonly List<double?> _medians = []; // per finished batch; null for a batch without one response
    private int _inBatch;
    private bool _settled;

    private WarmupRule(int? count) => _count = count;

    /// <summary>Warm-up requests reported so far, failed ones included.</summary>
    public int Sent { get; private set; }

    /// <summary>The most this warm-up may send, for the progress line.</summary>
    public int Limit => _count ?? MaxRequests;

    /// <param name="fixedCount"><c>--warmup N</c>; null for auto.</param>
    /// <param name="method">The endpoint's HTTP method, upper case.</param>
    public static WarmupRule For(int? fixedCount, string method) =>
        fixedCount is { } n ? new WarmupRule(n)
        : SafeMethods.Contains(method, StringComparer.OrdinalIgnoreCase) ? new WarmupRule(null)
        : new WarmupRule(MaxStateChangingRequests);

    /// <summary>Whether another warm-up request is due.</summary>
    /// <param name="elapsed">Time since the endpoint's first warm-up request was sent, pauses included.</param>
    public bool WantsMore(TimeSpan elapsed) => _count is { } n
        ? Sent < n
        : !_settled && Sent < MaxRequests && elapsed < MaxDuration;

    /// <summary>Reports one warm-up request.</summary>
    /// <param name="latencyMs">Its total latency, ms; null when it got no response (it still counts toward the bound).</param>
    /// <param name="elapsed">Time since the endpoint's first warm-up request was sent, this one's answer included.</param>
    /// <returns>Whether latency has now settled (always false for a fixed count).</returns>
    public bool Add(double? latencyMs, TimeSpan elapsed)
    {
        Sent++;
        if (_count is not null || _settled)
        {
            return _settled;
        }

        if (latencyMs is { } ms)
        {
            _batch.Add(ms);
        }

        if (++_inBatch < BatchSize)
        {
            return false;
        }

        _medians.Add(_batch.Count == 0 ? null : Median(_batch));
        _batch.Clear();
        _inBatch = 0;
        _settled = (elapsed >= MinDuration || Sent >= MinRequests) && _medians.Count >= ComparedBatches
            && Agree(_medians.TakeLast(ComparedBatches).ToList());
        return _settled;
    }

    /// <summary>What the reports show once the warm-up is over.</summary>
    public WarmupOutcome Outcome => new(Sent, _count is null ? _settled : null);

    /// <summary>Whether batch medians agree: max − min within <see cref="RelativeTolerance"/> of their middle, or within
    /// <see cref="AbsoluteToleranceMs"/>; a batch without a median never agrees.</summary>
    public static bool Agree(IReadOnlyList<double?> medians)
    {
        if (medians.Count == 0 || medians.Any(m => m is null))
        {
            return false;
        }

        var sorted = medians.Select(m => m!.Value).Order().ToList();
        double spread = sorted[^1] - sorted[0];
        return spread <= AbsoluteToleranceMs || spread <= RelativeTolerance * Median(sorted);
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        int mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
