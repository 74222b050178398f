using PerfTools.Shared.Http;

namespace PerfTools.Shared.Analysis;

/// <summary>Folds the results of one endpoint: a cheap <see cref="Add"/> per request and one <see cref="Complete"/>
/// that computes the <see cref="EndpointStats"/> every report reads.</summary>
/// <remarks>
/// Latency figures describe measured requests: those whose response arrived whole (success, HTTP 4xx/5xx, or a
/// body the caller could not parse); timeouts, resets and the like count only as errors, since their time says
/// nothing about the server. Min, max, mean and standard deviation are exact (Welford's running algorithm, sample
/// standard deviation with n − 1 as wrk reports it); percentiles are nearest-rank as
/// <see cref="LatencyRecorder"/> defines them. Every latency figure is µs, as recorded; reports convert to ms only
/// where they write text. Throughput is <c>Count</c> divided by the seconds from the first send to the last completion.
/// </remarks>
public sealed class EndpointSummary
{
    private readonly long[] _errorsByKind = new long[Enum.GetValues<ErrorKind>().Length];
    private readonly LatencyRecorder _latency = new();
    private long _count;
    private long _errors;
    private long _measured;
    private double _meanMicros;
    private double _sumSquaredDeviations; // µs², Welford's M2
    private long _serverTimeCount;
    private double _serverTimeSumMs;
    private DateTimeOffset _firstStart = DateTimeOffset.MaxValue;
    private DateTimeOffset _lastEnd = DateTimeOffset.MinValue;

    /// <param name="label">The endpoint label the stats carry.</param>
    /// <param name="useCorrectedLatency">Record <see cref="RequestResult.CorrectedMicros"/> (send lag included,
    /// for paced runs) instead of <see cref="RequestResult.TotalMicros"/>.</param>
    public EndpointSummary(string label, bool useCorrectedLatency = false)
    {
        ArgumentNullException.ThrowIfNull(label);
        Label = label;
        UseCorrectedLatency = useCorrectedLatency;
    }

    public string Label { get; }

    public bool UseCorrectedLatency { get; }

    /// <summary>The measured latencies so far, e.g. to merge into a run-wide recorder.</summary>
    public LatencyRecorder Latency => _latency;

    public void Add(RequestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _count++;
        if (result.Error != ErrorKind.None)
        {
            _errors++;
            _errorsByKind[(int)result.Error]++;
        }

        if (result.StartedAt < _firstStart)
        {
            _firstStart = result.StartedAt;
        }

        DateTimeOffset end = result.StartedAt.AddTicks(result.TotalMicros * TimeSpan.TicksPerMicrosecond);
        if (end > _lastEnd)
        {
            _lastEnd = end;
        }

        if (result.ServerTimeMs is { } serverMs)
        {
            _serverTimeCount++;
            _serverTimeSumMs += serverMs;
        }

        if (!IsMeasured(result))
        {
            return;
        }

        long micros = UseCorrectedLatency ? result.CorrectedMicros : result.TotalMicros;
        _latency.Record(micros);
        _measured++;
        double delta = micros - _meanMicros;
        _meanMicros += delta / _measured;
        _sumSquaredDeviations += delta * (micros - _meanMicros);
    }

    public EndpointStats Complete()
    {
        var errorsByKind = new Dictionary<string, long>();
        foreach (ErrorKind kind in Enum.GetValues<ErrorKind>())
        {
            if (_errorsByKind[(int)kind] > 0)
            {
                errorsByKind[kind.ToString()] = _errorsByKind[(int)kind];
            }
        }

        double seconds = _count > 0 ? (_lastEnd - _firstStart).TotalSeconds : 0;
        double stdDevMicros = _measured > 1 ? Math.Sqrt(_sumSquaredDeviations / (_measured - 1)) : 0;
        return new EndpointStats(
            Label,
            _count,
            _measured,
            _errors,
            errorsByKind,
            MinMicros: _latency.MinMicros,
            MeanMicros: _meanMicros,
            P50Micros: _latency.ValueAtPercentileMicros(50),
            P90Micros: _latency.ValueAtPercentileMicros(90),
            P95Micros: _latency.ValueAtPercentileMicros(95),
            P99Micros: _latency.ValueAtPercentileMicros(99),
            MaxMicros: _latency.MaxMicros,
            StdDevMicros: stdDevMicros,
            ThroughputRps: seconds > 0 ? _count / seconds : 0,
            ServerTimeMeanMs: _serverTimeCount > 0 ? _serverTimeSumMs / _serverTimeCount : null)
        {
            LatencyHistogram = _latency.RecordedValues(),
        };
    }

    /// <summary>Whether the response arrived whole, so its latency describes the server.</summary>
    public static bool IsMeasured(RequestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.HasResponse
            && result.Error is ErrorKind.None or ErrorKind.Http4xx or ErrorKind.Http5xx or ErrorKind.Parse
                or ErrorKind.Redirect;
    }
}
