using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using PerfTools.Shared.Http;

namespace PerfTools.Tests.Http;

/// <summary>A fake <see cref="IRequestSender"/> on a fake clock: each send takes <c>latency(index)</c> of fake time
/// and is logged with the fake time it started at and the lag it was given.</summary>
internal sealed class RecordingSender(FakeTimeProvider time, Func<int, TimeSpan> latency) : IRequestSender
{
    private readonly ConcurrentQueue<(TimeSpan At, long LagMicros)> _sends = new();
    private readonly DateTimeOffset _origin = time.GetUtcNow();
    private int _count;
    private int _inFlight;
    private int _maxInFlight;

    public IReadOnlyList<(TimeSpan At, long LagMicros)> Sends => _sends.ToArray();

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public async Task<RequestResult> SendAsync(RequestSpec spec, CancellationToken ct, long lagMicros = 0)
    {
        DateTimeOffset startedAt = time.GetUtcNow();
        int index = Interlocked.Increment(ref _count) - 1;
        _sends.Enqueue((startedAt - _origin, lagMicros));
        int now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
        }

        try
        {
            TimeSpan took = latency(index);
            ErrorKind error = ErrorKind.None;
            try
            {
                await Task.Delay(took, time, ct);
            }
            catch (OperationCanceledException)
            {
                error = ErrorKind.Canceled;
            }

            return new RequestResult(spec.Label, spec.Method, spec.Url.ToString(), error == ErrorKind.None ? 200 : 0,
                startedAt, lagMicros, 0, (long)took.TotalMicroseconds, 0, null, null, error, null);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
