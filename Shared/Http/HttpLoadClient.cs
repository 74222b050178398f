using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using PerfTools.Shared.Http.Engine;
using PerfTools.Shared.Text;
using PerfTools.Shared.Tracing;

namespace PerfTools.Shared.Http;

/// <summary>Sends requests for a load run over pooled keep-alive connections and measures each as a
/// <see cref="RequestResult"/>; network failures become results, never exceptions.</summary>
/// <remarks>
/// Thread-safe: one instance serves every worker of a run, so connections are shared and reused.
/// Requests go through the toolkit's own HTTP/1.1 engine (<see cref="Http1Engine"/>, plain and TLS), which costs
/// about 40 % less CPU per request than HttpClient and allocates a sixth of its bytes (bench/load_engine.sh,
/// bench/README.md, docs/http-engine.md). HttpClient (SocketsHttpHandler
/// under <see cref="OutboundPolicyHandler"/>, built on first use) is kept for the requests the engine does not write
/// the way SocketsHttpHandler would (<see cref="Http1Request"/>): a scheme other than http and https (HttpClient's
/// own error), header values that are not printable ASCII, a header named twice, a <c>Host</c> header on https, and
/// request headers that change framing or the connection (<c>Content-Length</c>, <c>Transfer-Encoding</c>,
/// <c>Connection</c>, <c>Expect</c>, <c>Upgrade</c>, <c>TE</c>, <c>Keep-Alive</c>, <c>Proxy-Connection</c>); and for
/// every request when <see cref="HttpLoadClientOptions.Engine"/> is <see cref="LoadEngine.HttpClient"/>. Each keeps
/// its own pool of at most <see cref="HttpLoadClientOptions.MaxConnections"/> per server. Neither uses a proxy from the
/// environment and both speak HTTP/1.1 only (HttpClient's default version), so the engine takes no feature away.
/// </remarks>
public sealed class HttpLoadClient : IRequestSender, IDisposable
{
    private const int ReadBufferBytes = 16 * 1024;
    private const int MaxErrorMessageChars = 200;

    private readonly Lazy<HttpClient> _client;
    private readonly Http1Engine? _engine;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _timeout;

    public HttpLoadClient(HttpLoadClientOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (!double.IsFinite(options.TimeoutSeconds) || options.TimeoutSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.TimeoutSeconds, "TimeoutSeconds must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConnections, 1, nameof(options));

        _timeProvider = timeProvider;
        _timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        _engine = options.Engine == LoadEngine.Http1
            ? new Http1Engine(_timeout, options.MaxConnections, options.Insecure, timeProvider)
            : null;
        // Built on first use: with the engine, most runs never need it.
        _client = new Lazy<HttpClient>(() => CreateHttpClient(options, _timeout), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Sends one request and reads the body to the end, discarding it.</summary>
    /// <param name="lagMicros">How late the send is against its schedule; copied into the result.</param>
    /// <exception cref="ArgumentException">The spec is unusable (relative URL, malformed method or header).</exception>
    public Task<RequestResult> SendAsync(RequestSpec spec, CancellationToken ct, long lagMicros = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        try
        {
            if (_engine?.CanSend(spec) == true)
            {
                return _engine.SendAsync(spec, ct, lagMicros);
            }
        }
        catch (ArgumentException e)
        {
            return Task.FromException<RequestResult>(e);
        }

        return SendResultWithHttpClientAsync(spec, ct, lagMicros);
    }

    /// <summary>The closed model's event loops for <paramref name="spec"/> on <paramref name="connections"/>
    /// connections (see <see cref="ClosedLoopRunner"/>), or null when they cannot carry it: not Linux on x86-64, turned
    /// off, HttpClient asked for or needed, https, or a clock other than the system's (a test's).</summary>
    public ClosedLoopRunner? TryClosedLoop(RequestSpec spec, int connections)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);
        if (_engine is null || !ClosedLoopRunner.Available || _timeProvider != TimeProvider.System
            || !spec.Url.IsAbsoluteUri || spec.Url.Scheme != Uri.UriSchemeHttp)
        {
            return null;
        }

        try
        {
            return _engine.Encoded(spec) is { } request
                ? new ClosedLoopRunner(spec, request, Http1Origin.Of(spec.Url, insecure: false), connections, _timeout)
                : null;
        }
        catch (ArgumentException)
        {
            return null; // the spec is unusable: SendAsync says why, request by request
        }
    }

    /// <summary>Sends one request and also returns the start of the body as UTF-8 text, for callers that need the
    /// answer (e.g. the id of a created resource). The body is null when no response arrived.</summary>
    /// <param name="maxBodyBytes">Bytes kept; the rest is read and counted but discarded.</param>
    public Task<(RequestResult Result, string? Body)> SendForBodyAsync(
        RequestSpec spec, CancellationToken ct, long lagMicros = 0, int maxBodyBytes = 64 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBodyBytes, 0);
        ArgumentNullException.ThrowIfNull(spec);
        try
        {
            if (_engine?.CanSend(spec) == true)
            {
                return SendForBodyWithEngineAsync(_engine, spec, ct, lagMicros, maxBodyBytes);
            }
        }
        catch (ArgumentException e)
        {
            return Task.FromException<(RequestResult, string?)>(e);
        }

        return SendWithHttpClientAsync(spec, ct, lagMicros, maxBodyBytes);
    }

    public void Dispose()
    {
        _engine?.Dispose();
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    private static HttpClient CreateHttpClient(HttpLoadClientOptions options, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            // Reconnecting mid-run would add handshakes to the latencies being measured.
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = options.MaxConnections,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            // Measure the target, not a proxy picked up from the environment.
            UseProxy = false,
            ConnectTimeout = timeout,
        };

        // The per-request token enforces the timeout, so it can tell a timeout from the caller's cancellation.
        // Redirects are followed by our policy (same origin, at most 5), within that one timeout.
        return new HttpClient(new OutboundPolicyHandler(handler, options.Insecure)) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static async Task<(RequestResult Result, string? Body)> SendForBodyWithEngineAsync(
        Http1Engine engine, RequestSpec spec, CancellationToken ct, long lagMicros, int keepBodyBytes)
    {
        MemoryStream? kept = keepBodyBytes > 0 ? new MemoryStream() : null;
        RequestResult result = await engine.SendAsync(spec, ct, lagMicros, kept, keepBodyBytes).ConfigureAwait(false);
        string? body = kept is not null && result.TtfbMicros >= 0
            ? Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length)
            : null;
        return (result, body);
    }

    private async Task<RequestResult> SendResultWithHttpClientAsync(RequestSpec spec, CancellationToken ct, long lagMicros)
    {
        (RequestResult result, _) = await SendWithHttpClientAsync(spec, ct, lagMicros, keepBodyBytes: 0).ConfigureAwait(false);
        return result;
    }

    private async Task<(RequestResult Result, string? Body)> SendWithHttpClientAsync(
        RequestSpec spec, CancellationToken ct, long lagMicros, int keepBodyBytes)
    {
        // Trace ids must be unique across workers and runs rather than reproducible, so they come from the
        // thread-safe cryptographic generator instead of an injected seed.
        (string sentTraceId, _, string traceHeader) = TraceParent.Create();
        using HttpRequestMessage request = BuildRequest(spec, traceHeader);
        using var requestCts = CancellationTokenSource.CreateLinkedTokenSource(ct);

        int status = 0;
        long ttfbMicros = -1;
        long bytes = 0;
        string traceId = sentTraceId;
        double? serverTimeMs = null;
        int redirects = 0;
        ErrorKind error = ErrorKind.None;
        string? message = null;
        MemoryStream? kept = keepBodyBytes > 0 ? new MemoryStream() : null;

        DateTimeOffset startedAt = _timeProvider.GetUtcNow();
        // Real time, like the Stopwatch latencies: the injected clock only stamps StartedAt.
        requestCts.CancelAfter(_timeout);
        long start = Stopwatch.GetTimestamp();
        try
        {
            using HttpResponseMessage response = await _client.Value
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, requestCts.Token)
                .ConfigureAwait(false);
            ttfbMicros = MicrosSince(start);
            status = (int)response.StatusCode;
            if (response.Headers.NonValidated.TryGetValues("X-Trace-ID", out var serverTrace)
                && TraceParent.IsValidTraceId(serverTrace.ToString()))
            {
                traceId = serverTrace.ToString().ToLowerInvariant();
            }

            serverTimeMs = ServerTiming.FromHeaders(response.Headers);
            redirects = OutboundPolicyHandler.RedirectsFollowed(response);
            bytes = await DrainAsync(response.Content, kept, keepBodyBytes, requestCts.Token).ConfigureAwait(false);
            if (OutboundPolicyHandler.NotFollowedReason(response) is { } notFollowed)
            {
                error = ErrorKind.Redirect;
                message = notFollowed;
            }
            else if (status >= 400)
            {
                error = status >= 500 ? ErrorKind.Http5xx : ErrorKind.Http4xx;
                message = $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
            }
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            (error, message) = Classify(e, ct, timedOut: requestCts.IsCancellationRequested, _timeout);
        }

        long totalMicros = MicrosSince(start);
        var result = new RequestResult(
            spec.Label, spec.Method, spec.Url.ToString(), status, startedAt, lagMicros, ttfbMicros, totalMicros,
            bytes, traceId, serverTimeMs, error, message)
        {
            Redirects = redirects,
        };
        string? body = kept is not null && ttfbMicros >= 0
            ? Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length)
            : null;
        return (result, body);
    }

    private static HttpRequestMessage BuildRequest(RequestSpec spec, string traceHeader)
    {
        HttpMethod method = spec.CheckedMethod();

        var request = new HttpRequestMessage(method, spec.Url);
        try
        {
            if (spec.Body is not null)
            {
                request.Content = new ByteArrayContent(spec.Body);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", spec.EffectiveContentType);
            }

            request.Headers.TryAddWithoutValidation("traceparent", traceHeader);
            foreach ((string name, string value) in spec.Headers)
            {
                if (name.Equals("traceparent", StringComparison.OrdinalIgnoreCase))
                {
                    continue; // every send gets a fresh trace so each request can be looked up alone
                }

                // HttpRequestHeaders refuses content headers; those belong on the content, which a
                // body-less request then gets empty (Content-Length: 0).
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    request.Content ??= new ByteArrayContent([]);
                    request.Content.Headers.Remove(name);
                    if (!request.Content.Headers.TryAddWithoutValidation(name, value))
                    {
                        throw new ArgumentException($"Invalid header '{name}'.", nameof(spec));
                    }
                }
            }

            return request;
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    private static async Task<long> DrainAsync(HttpContent content, MemoryStream? kept, int keepBytes, CancellationToken ct)
    {
        Stream stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadBufferBytes);
            try
            {
                long total = 0;
                int read;
                while ((read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    if (kept is not null && kept.Length < keepBytes)
                    {
                        kept.Write(buffer, 0, (int)Math.Min(read, keepBytes - kept.Length));
                    }

                    total += read;
                }

                return total;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>The error kind and one-line message of a failed request, whichever client sent it.</summary>
    internal static (ErrorKind Kind, string Message) Classify(Exception e, CancellationToken callerToken, bool timedOut, TimeSpan timeout)
    {
        // Checked first: once a token fires, the exception type depends on where the read was interrupted.
        if (callerToken.IsCancellationRequested)
        {
            return (ErrorKind.Canceled, "Canceled by the caller.");
        }

        if (timedOut || e is OperationCanceledException)
        {
            return (ErrorKind.Timeout, $"No complete response within {timeout.TotalSeconds:0.###} s.");
        }

        string message = OneLine(e);
        // The socket error is the most specific cause (refused, reset, DNS), so it wins over the HTTP category.
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException socket when FromSocketError(socket.SocketErrorCode) is var kind && kind != ErrorKind.Other:
                    return (kind, message);
                case AuthenticationException:
                    return (ErrorKind.Protocol, message);
            }
        }

        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http:
                    return (FromHttpRequestError(http.HttpRequestError), message);
                case HttpIOException { HttpRequestError: not HttpRequestError.Unknown } io:
                    return (FromHttpRequestError(io.HttpRequestError), message);
                case TimeoutException:
                    return (ErrorKind.Timeout, message);
            }
        }

        // A bare IOException surfaces when the connection breaks while the body streams in.
        return e is IOException ? (ErrorKind.Reset, message) : (ErrorKind.Other, message);
    }

    private static ErrorKind FromSocketError(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => ErrorKind.Refused,
        SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => ErrorKind.Dns,
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown
            or SocketError.Disconnecting or SocketError.NotConnected => ErrorKind.Reset,
        SocketError.TimedOut => ErrorKind.Timeout,
        _ => ErrorKind.Other,
    };

    private static ErrorKind FromHttpRequestError(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => ErrorKind.Dns,
        // The server closed the connection before the response was complete.
        HttpRequestError.ResponseEnded => ErrorKind.Reset,
        HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError
            or HttpRequestError.SecureConnectionError or HttpRequestError.VersionNegotiationError
            or HttpRequestError.ConfigurationLimitExceeded
            => ErrorKind.Protocol,
        _ => ErrorKind.Other,
    };

    /// <summary>The outer message, plus the innermost one when it says something else; one line, bounded.</summary>
    private static string OneLine(Exception e)
    {
        Exception innermost = e;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        string text = ReferenceEquals(innermost, e) || e.Message.Contains(innermost.Message, StringComparison.Ordinal)
            ? e.Message
            : $"{e.Message} ({innermost.Message})";
        text = SafeText.OneLine(text);
        return text.Length <= MaxErrorMessageChars ? text : text[..MaxErrorMessageChars];
    }

    private static long MicrosSince(long startTimestamp) =>
        (long)Stopwatch.GetElapsedTime(startTimestamp).TotalMicroseconds;
}
