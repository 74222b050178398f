using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PerfTools.Shared.Http.Engine;

namespace PerfTools.Shared.Http;

/// <summary>The closed model for one request, sent back to back on <c>connections</c> keep-alive connections by the
/// engine's own event loops: one thread per processor, each with its share of the connections and its own epoll
/// instance, as wrk runs one loop per thread (<see cref="EventLoop"/>). What <see cref="LoadRunner"/>'s closed model
/// does over <see cref="HttpLoadClient.SendAsync"/>, at the cost of the kernel's work and little more.</summary>
/// <remarks>
/// Made by <see cref="HttpLoadClient.TryClosedLoop"/> for what it can carry: Linux on x86-64, plain http, a request
/// the engine writes itself (<see cref="Http1Request"/>), the system clock; anything else runs through
/// <see cref="LoadRunner"/> as before, and so does every run when <see cref="DisableVariable"/> is <c>0</c>.
/// Each request is measured, classified and worded as <see cref="Http1Engine"/> does it. Stopping follows
/// <see cref="LoadRunner"/>: at the end of the duration no request starts and those in flight finish within their own
/// timeout; when the token fires, those in flight get <see cref="LoadRunner.DrainTimeout"/>, then end as cancelled.
/// </remarks>
public sealed class ClosedLoopRunner
{
    /// <summary>Set to <c>0</c>, the closed model runs through <see cref="LoadRunner"/> and the async engine (to
    /// compare, or to rule the event loops out when hunting a problem).</summary>
    public const string DisableVariable = "PERFTOOLS_EVENT_LOOPS";

    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(1);

    private readonly int _connections;
    private readonly System.Collections.Concurrent.ConcurrentQueue<Exception> _faults = new();
    private Action<RequestResult> _sink = static _ => { };
    private Action _beforeSend = static () => { };
    private long _budget;
    private volatile bool _stopping;
    private volatile bool _aborting;

    internal ClosedLoopRunner(RequestSpec spec, Http1Request request, Http1Origin origin, int connections, TimeSpan timeout)
    {
        Spec = spec;
        Request = request;
        Host = origin.ConnectHost;
        Port = origin.Port;
        Timeout = timeout;
        _connections = connections;
    }

    /// <summary>Whether this machine can run the event loops at all (and the user has not turned them off).</summary>
    public static bool Available => Epoll.Available && Environment.GetEnvironmentVariable(DisableVariable) != "0";

    internal RequestSpec Spec { get; }

    internal Http1Request Request { get; }

    internal string Host { get; }

    internal int Port { get; }

    internal TimeSpan Timeout { get; }

    /// <summary>The host's addresses, resolved once at the start; null when it did not resolve.</summary>
    internal IPAddress[]? Addresses { get; private set; }

    /// <summary>Why the host did not resolve, as a connect to a DnsEndPoint words it.</summary>
    internal Exception? ResolveError { get; private set; }

    internal bool Aborting => _aborting;

    /// <summary>Sends the request back to back until <paramref name="duration"/> has passed (or
    /// <paramref name="maxRequests"/> have started), handing each result to <paramref name="sink"/> on a loop's thread.</summary>
    /// <param name="beforeSend">Called on a loop's thread just before each request is sent.</param>
    /// <param name="scheduleStarted">Told the wall-clock instant the run starts.</param>
    /// <exception cref="AggregateException">The sink threw (a bug); the other loops ran to the end.</exception>
    public async Task<LoadRunOutcome> RunAsync(
        TimeSpan duration, Action beforeSend, Action<RequestResult> sink, CancellationToken ct,
        Action<DateTimeOffset>? scheduleStarted = null, long maxRequests = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(beforeSend);
        ArgumentNullException.ThrowIfNull(sink);
        _beforeSend = beforeSend;
        _sink = sink;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRequests, 1);
        _budget = maxRequests;
        _stopping = false;
        _aborting = false;
        Resolve();

        int threads = Math.Clamp(Environment.ProcessorCount, 1, Math.Min(_connections, 64));
        var loops = new List<EventLoop>();
        var done = new List<Task>();
        scheduleStarted?.Invoke(DateTimeOffset.UtcNow);
        long start = Stopwatch.GetTimestamp();
        for (int t = 0; t < threads; t++)
        {
            var loop = new EventLoop(this, (_connections / threads) + (t < _connections % threads ? 1 : 0));
            var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                try
                {
                    loop.Run();
                }
                catch (Exception e)
                {
                    _faults.Enqueue(e);
                }
                finally
                {
                    finished.SetResult();
                }
            })
            {
                IsBackground = true,
                Name = $"event loop {t + 1}/{threads}",
            };
            loops.Add(loop);
            done.Add(finished.Task);
            thread.Start();
        }

        Task all = Task.WhenAll(done);
        bool canceled = false;
        try
        {
            await Task.WhenAny(all, Task.Delay(duration, ct)).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            canceled = true;
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        _stopping = true;
        if (!canceled)
        {
            try
            {
                // The duration is over: every request in flight gets its own timeout to finish, unless the caller stops the run.
                await all.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                canceled = true;
            }
        }

        if (canceled && !await Finished(all, LoadRunner.DrainTimeout).ConfigureAwait(false))
        {
            _aborting = true;
            await Finished(all, CancelGrace).ConfigureAwait(false);
        }

        if (!_faults.IsEmpty)
        {
            throw new AggregateException("A load work item failed.", _faults);
        }

        if (!canceled && elapsed < duration && maxRequests == long.MaxValue)
        {
            elapsed = duration;
        }

        return new LoadRunOutcome(loops.Sum(l => l.Started), 0, 0, elapsed, canceled);
    }

    /// <summary>Takes one request from the budget, unless the run is stopping.</summary>
    internal bool TryStart() =>
        !_stopping && _faults.IsEmpty && (_budget == long.MaxValue || Interlocked.Decrement(ref _budget) >= 0);

    internal void BeforeSend() => _beforeSend();

    internal void Deliver(RequestResult result) => _sink(result);

    private static async Task<bool> Finished(Task all, TimeSpan within)
    {
        await Task.WhenAny(all, Task.Delay(within)).ConfigureAwait(false);
        return all.IsCompleted;
    }

    private void Resolve()
    {
        if (IPAddress.TryParse(Host, out IPAddress? address))
        {
            Addresses = [address];
            return;
        }

        try
        {
            Addresses = Dns.GetHostAddresses(Host);
            if (Addresses.Length == 0)
            {
                throw new SocketException((int)SocketError.HostNotFound);
            }
        }
        catch (SocketException e)
        {
            Addresses = null;
            ResolveError = new HttpRequestException(HttpRequestError.ConnectionError, $"{e.Message} ({Host}:{Port})", e);
        }
    }
}
