using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace PerfTools.Shared.Http.Engine;

/// <summary>The load engine's own HTTP/1.1 client, plain and TLS: keep-alive connections pooled per origin, each
/// request's bytes encoded once per <see cref="RequestSpec"/>, the response parsed off the connection's buffer.</summary>
/// <remarks>
/// It measures exactly what <see cref="HttpLoadClient"/> measured over HttpClient (TTFB from the send to the final
/// response's head, total to its last body byte, one timeout for everything, redirects by
/// <see cref="OutboundPolicyHandler"/>'s rules and words) and reports failures as the same exceptions, classified by
/// <see cref="HttpLoadClient.Classify"/>. A request is sent once more on a new connection when a pooled one turns out
/// to have been closed by the server before any byte of the answer, as SocketsHttpHandler does.
/// An ordinary request allocates its task, its result and the trace id string; connections, buffers, the response
/// head and the timeout's <see cref="CancellationTokenSource"/> are reused.
/// </remarks>
internal sealed class Http1Engine : IDisposable
{
    private static readonly Prepared HttpClientOnly = new(null, null);

    private readonly ConcurrentDictionary<Http1Origin, Http1ConnectionPool> _pools = new();
    private readonly ConcurrentQueue<CancellationTokenSource> _timers = new();
    private readonly ConditionalWeakTable<RequestSpec, Prepared> _prepared = [];
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _timeout;
    private readonly int _maxConnections;
    private readonly bool _insecure;

    public Http1Engine(TimeSpan timeout, int maxConnections, bool insecure, TimeProvider timeProvider)
    {
        _timeout = timeout;
        _maxConnections = maxConnections;
        _insecure = insecure;
        _timeProvider = timeProvider;
    }

    /// <summary>Whether this engine sends <paramref name="spec"/> (else HttpClient must); encodes it on first sight.</summary>
    /// <exception cref="ArgumentException">The spec is unusable (relative URL, malformed method or header name).</exception>
    public bool CanSend(RequestSpec spec) => Prepare(spec).Request is not null;

    /// <summary><paramref name="spec"/> as this engine writes it (encoded once, on first sight); null when HttpClient must
    /// send it.</summary>
    /// <exception cref="ArgumentException">The spec is unusable (relative URL, malformed method or header name).</exception>
    public Http1Request? Encoded(RequestSpec spec) => Prepare(spec).Request;

    /// <summary>Sends <paramref name="spec"/>, which <see cref="CanSend"/> accepted, and measures it.</summary>
    /// <param name="kept">Receives the first <paramref name="keepBodyBytes"/> of the body; null to keep none.</param>
    public async Task<RequestResult> SendAsync(
        RequestSpec spec, CancellationToken ct, long lagMicros, MemoryStream? kept = null, int keepBodyBytes = 0)
    {
        Prepared prepared = Prepare(spec);
        if (prepared.Request is not { } request || prepared.Pool is not { } pool)
        {
            throw new ArgumentException("A request for HttpClient, not for this engine.", nameof(spec));
        }

        TraceIds trace = TraceIds.Create();
        CancellationTokenSource timer = _timers.TryDequeue(out CancellationTokenSource? idle) ? idle : new CancellationTokenSource();
        CancellationTokenRegistration link = ct.CanBeCanceled
            ? ct.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timer)
            : default;
        CancellationToken token = timer.Token;

        int status = 0;
        long ttfbMicros = -1;
        long bytes = 0;
        string? traceId = null;
        double? serverTimeMs = null;
        int redirects = 0;
        ErrorKind error = ErrorKind.None;
        string? message = null;
        Http1Connection? connection = null;

        DateTimeOffset startedAt = _timeProvider.GetUtcNow();
        // Real time, like the Stopwatch latencies: the injected clock only stamps StartedAt.
        timer.CancelAfter(_timeout);
        long start = Stopwatch.GetTimestamp();
        try
        {
            for (int followed = 0; ; followed++)
            {
                connection = await ExchangeAsync(pool, request, trace, token).ConfigureAwait(false);
                Http1ResponseHead head = connection.Head;
                if (IsRedirect(head.StatusCode))
                {
                    string? refusal = RedirectRefusal(head, request, spec, followed, out Uri? next);
                    if (refusal is null)
                    {
                        bool toGet = TurnsIntoGet(head.StatusCode, request.Method);
                        connection.SkipBodyIfBuffered();
                        pool.Return(connection);
                        connection = null;
                        request = request.RedirectedTo(next!, toGet);
                        continue;
                    }

                    error = ErrorKind.Redirect;
                    message = refusal;
                }

                ttfbMicros = MicrosSince(start);
                status = head.StatusCode;
                redirects = followed;
                if (head.TraceId is { } serverTrace && TraceParent.IsValidTraceId(serverTrace))
                {
                    traceId = serverTrace.ToLowerInvariant();
                }

                serverTimeMs = ServerTiming.FromValues(head.ResponseTimeValues, head.ServerTimingValues);
                string? reason = head.ReasonPhrase;
                bytes = await connection.ReadBodyAsync(kept, keepBodyBytes, token).ConfigureAwait(false);
                pool.Return(connection);
                connection = null;
                if (error == ErrorKind.None && status >= 400)
                {
                    error = status >= 500 ? ErrorKind.Http5xx : ErrorKind.Http4xx;
                    message = $"HTTP {status} {reason ?? StandardReason(status)}".TrimEnd();
                }

                break;
            }
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            (error, message) = HttpLoadClient.Classify(e, ct, timedOut: timer.IsCancellationRequested, _timeout);
            if (connection is not null)
            {
                connection.Dispose();
                pool.Release();
            }
        }

        long totalMicros = MicrosSince(start);
        link.Dispose();
        if (timer.TryReset())
        {
            _timers.Enqueue(timer);
        }
        else
        {
            timer.Dispose();
        }

        return new RequestResult(
            spec.Label, spec.Method, spec.Url.ToString(), status, startedAt, lagMicros, ttfbMicros, totalMicros,
            bytes, traceId ?? trace.TraceId, serverTimeMs, error, message)
        {
            Redirects = redirects,
        };
    }

    public void Dispose()
    {
        foreach (Http1ConnectionPool pool in _pools.Values)
        {
            pool.Dispose();
        }

        while (_timers.TryDequeue(out CancellationTokenSource? timer))
        {
            timer.Dispose();
        }
    }

    private Prepared Prepare(RequestSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (_prepared.TryGetValue(spec, out Prepared? prepared))
        {
            return prepared;
        }

        Http1Request? request = Http1Request.TryCreate(spec);
        prepared = request is null
            ? HttpClientOnly
            : new Prepared(request, _pools.GetOrAdd(Http1Origin.Of(spec.Url, _insecure), origin => new Http1ConnectionPool(origin, _maxConnections)));
        _prepared.AddOrUpdate(spec, prepared);
        return prepared;
    }

    /// <summary>A connection from the pool (or a new one) that has sent <paramref name="request"/> and read the
    /// response head; a pooled connection the server closed while idle is replaced and the request sent again.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<Http1Connection> ExchangeAsync(
        Http1ConnectionPool pool, Http1Request request, TraceIds trace, CancellationToken token)
    {
        while (true)
        {
            Http1Connection? connection = await pool.RentAsync(token).ConfigureAwait(false);
            bool pooled = connection is not null;
            try
            {
                connection ??= await Http1Connection.OpenAsync(pool.Origin, token).ConfigureAwait(false);
            }
            catch
            {
                pool.Release();
                throw;
            }

            try
            {
                await connection.SendAsync(request, trace, token).ConfigureAwait(false);
                await connection.ReadHeadAsync(request.IsHead, token).ConfigureAwait(false);
                return connection;
            }
            catch (Exception e) when (pooled && !connection.ResponseStarted && !token.IsCancellationRequested
                                      && e is IOException or SocketException or HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded })
            {
                // Stale: each retry uses up one pooled connection, so this ends once a new one is opened.
                connection.Dispose();
                pool.Release();
            }
            catch
            {
                connection.Dispose();
                pool.Release();
                throw;
            }
        }
    }

    internal static bool IsRedirect(int status) => status is 301 or 302 or 303 or 307 or 308;

    /// <summary>Why the redirect <paramref name="head"/> answers to <paramref name="request"/> is not followed
    /// (<see cref="OutboundPolicyHandler"/>'s rules and words), or null and where it leads.</summary>
    internal static string? RedirectRefusal(Http1ResponseHead head, Http1Request request, RequestSpec spec, int followed, out Uri? next)
    {
        next = head.Location is { } location && Uri.TryCreate(location, UriKind.RelativeOrAbsolute, out Uri? relative)
            && Uri.TryCreate(request.Url, relative, out Uri? target)
            ? target
            : null;
        return next is null ? $"HTTP {head.StatusCode} redirect without a usable Location not followed"
            : !OutboundPolicyHandler.SameOrigin(spec.Url, next) ? $"redirect to {OutboundPolicyHandler.WithoutUserInfo(next)} not followed (another origin)"
            : followed >= OutboundPolicyHandler.MaxRedirects ? $"redirect to {OutboundPolicyHandler.WithoutUserInfo(next)} not followed (more than {OutboundPolicyHandler.MaxRedirects} redirects)"
            : null;
    }

    // As OutboundPolicyHandler: 301/302 turn a POST into a GET, 303 anything but GET and HEAD (the fetch standard).
    internal static bool TurnsIntoGet(int status, HttpMethod method) => status switch
    {
        301 or 302 => method == HttpMethod.Post,
        303 => method != HttpMethod.Get && method != HttpMethod.Head,
        _ => false,
    };

    /// <summary>The phrase HttpClient reports for a status line without one.</summary>
    internal static string StandardReason(int status)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        return response.ReasonPhrase ?? "";
    }

    internal static long MicrosSince(long startTimestamp) =>
        (long)Stopwatch.GetElapsedTime(startTimestamp).TotalMicroseconds;

    /// <summary>A spec's encoded request and its origin's pool; both null when HttpClient must send the spec.</summary>
    private sealed record Prepared(Http1Request? Request, Http1ConnectionPool? Pool);
}
