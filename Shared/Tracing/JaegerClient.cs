using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Http;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Tracing;

/// <summary>
/// Fetches traces from Jaeger's query service: the v3 HTTP gateway first, the v1 API when v3 is not served,
/// remembering which one answered. Failures come back as <see cref="TraceFetchResult"/>, not exceptions.
/// </summary>
public sealed class JaegerClient
{
    /// <summary>Per-call time limit used when the caller gives none.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private const int BodyExcerptChars = 100;

    // Room for a whole cause, such as a rejected certificate and what to do about it.
    private const int CauseChars = 200;

    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly TimeProvider _timeProvider;

    /// <param name="bearerToken">Sent as "Authorization: Bearer …" when set (the caller reads JAEGER_TOKEN); without one, a <c>user:password@</c> in <paramref name="baseUrl"/> is sent as Basic.</param>
    /// <param name="timeout">Per call, including reading the body; <see cref="DefaultTimeout"/> when null.</param>
    public JaegerClient(HttpClient http, Uri baseUrl, string? bearerToken = null, TimeSpan? timeout = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri)
        {
            throw new ArgumentException($"Jaeger URL must be absolute: {baseUrl}", nameof(baseUrl));
        }

        _http = http;
        _baseUrl = baseUrl.AbsoluteUri.TrimEnd('/');
        // A URL's user:password is sent as Basic authentication (HttpClient would drop it); a token wins.
        _authorization = !string.IsNullOrWhiteSpace(bearerToken)
            ? new AuthenticationHeaderValue("Bearer", bearerToken.Trim())
            : UrlCredentials.BasicAuthorization(baseUrl) is { } basic ? AuthenticationHeaderValue.Parse(basic) : null;
        Timeout = timeout ?? DefaultTimeout;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>"v3" or "v1" once an API has answered; null before that.</summary>
    public string? ApiVersion { get; private set; }

    public TimeSpan Timeout { get; }

    /// <summary>Looks a trace up by id (16 or 32 hex digits).</summary>
    /// <exception cref="ArgumentException">The id is not hex.</exception>
    public async Task<TraceFetchResult> GetTraceAsync(string traceId, CancellationToken ct)
    {
        var id = TraceIds.NormalizeTraceId(traceId) is { } normalized && traceId.Trim().All(Uri.IsHexDigit)
            ? normalized
            : throw new ArgumentException($"not a trace id (16 or 32 hex digits): '{SafeText.Excerpt(traceId, 40)}'", nameof(traceId));

        if (ApiVersion != "v1")
        {
            var v3 = await SendAsync($"/api/v3/traces/{id}", ct).ConfigureAwait(false);
            if (v3.Failure is not null)
            {
                return v3.Failure;
            }

            if (!IsNotServed(v3))
            {
                var answer = InterpretV3(id, v3);
                if (answer.Status is TraceFetchStatus.Found or TraceFetchStatus.NotFound)
                {
                    ApiVersion = "v3";
                }

                return answer;
            }
        }

        var v1 = await SendAsync($"/api/traces/{id}", ct).ConfigureAwait(false);
        if (v1.Failure is not null)
        {
            return v1.Failure;
        }

        var result = InterpretV1(id, v1);
        if (result.Status is TraceFetchStatus.Found or TraceFetchStatus.NotFound)
        {
            ApiVersion = "v1";
        }

        return result;
    }

    /// <summary>Service names Jaeger knows (v3 <c>/api/v3/services</c>, else v1 <c>/api/services</c>).</summary>
    /// <exception cref="HttpRequestException">Jaeger is unreachable or the answer is not a service list; one-line message.</exception>
    public async Task<IReadOnlyList<string>> GetServicesAsync(CancellationToken ct)
    {
        if (ApiVersion != "v1")
        {
            var v3 = await SendAsync("/api/v3/services", ct).ConfigureAwait(false);
            if (v3.Failure is not null)
            {
                throw new HttpRequestException(v3.Failure.Message);
            }

            if (!IsNotServed(v3))
            {
                var services = ReadServices(v3, "services", "v3");
                ApiVersion = "v3";
                return services;
            }
        }

        var v1 = await SendAsync("/api/services", ct).ConfigureAwait(false);
        if (v1.Failure is not null)
        {
            throw new HttpRequestException(v1.Failure.Message);
        }

        var list = ReadServices(v1, "data", "v1");
        ApiVersion = "v1";
        return list;
    }

    /// <summary>
    /// Traces of <paramref name="service"/> that started between <paramref name="startUtc"/> and
    /// <paramref name="endUtc"/>: v3 <c>/api/v3/traces?query.*</c>, else v1 <c>/api/traces?service=…</c>.
    /// A search that matches nothing is <see cref="TraceFetchStatus.NotFound"/> on both (v3 says so with a 404).
    /// </summary>
    /// <param name="minDuration">Only traces at least this long; null for all.</param>
    /// <param name="limit">At most this many traces (v3 <c>query.searchDepth</c>, v1 <c>limit</c>).</param>
    /// <exception cref="ArgumentException">No service, an empty window, or a limit below 1.</exception>
    public async Task<TraceSearchResult> SearchTracesAsync(
        string service, DateTimeOffset startUtc, DateTimeOffset endUtc, TimeSpan? minDuration, int limit, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        if (endUtc <= startUtc)
        {
            throw new ArgumentException($"search window is empty: {startUtc:O} .. {endUtc:O}", nameof(endUtc));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var what = string.Create(CultureInfo.InvariantCulture,
            $"traces of {service} between {startUtc.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z and {endUtc.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z");

        if (ApiVersion != "v1")
        {
            var query = new List<(string, string)>
            {
                ("query.serviceName", service),
                ("query.startTimeMin", Rfc3339(startUtc)),
                ("query.startTimeMax", Rfc3339(endUtc)),
                ("query.searchDepth", limit.ToString(CultureInfo.InvariantCulture)),
            };
            if (minDuration is { } min)
            {
                query.Add(("query.durationMin", GoDuration(min)));
            }

            var v3 = await SendAsync("/api/v3/traces" + QueryString(query), ct).ConfigureAwait(false);
            if (v3.Failure is not null)
            {
                return SearchFailure(v3.Failure);
            }

            if (!IsNotServed(v3))
            {
                var answer = InterpretV3Search(what, v3);
                if (answer.Status is TraceFetchStatus.Found or TraceFetchStatus.NotFound)
                {
                    ApiVersion = "v3";
                }

                return answer;
            }
        }

        var v1Query = new List<(string, string)>
        {
            ("service", service),
            ("start", UnixMicros(startUtc).ToString(CultureInfo.InvariantCulture)),
            ("end", UnixMicros(endUtc).ToString(CultureInfo.InvariantCulture)),
            ("limit", limit.ToString(CultureInfo.InvariantCulture)),
        };
        if (minDuration is { } v1Min)
        {
            v1Query.Add(("minDuration", GoDuration(v1Min)));
        }

        var v1 = await SendAsync("/api/traces" + QueryString(v1Query), ct).ConfigureAwait(false);
        if (v1.Failure is not null)
        {
            return SearchFailure(v1.Failure);
        }

        var result = InterpretV1Search(what, v1);
        if (result.Status is TraceFetchStatus.Found or TraceFetchStatus.NotFound)
        {
            ApiVersion = "v1";
        }

        return result;
    }

    /// <summary>A duration as Go's time.ParseDuration reads it, which both APIs use: <c>500ms</c>, <c>1500us</c>.</summary>
    internal static string GoDuration(TimeSpan duration)
    {
        var micros = duration.Ticks / TimeSpan.TicksPerMicrosecond;
        return micros % 1000 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{micros / 1000}ms")
            : string.Create(CultureInfo.InvariantCulture, $"{micros}us");
    }

    /// <summary>µs since the Unix epoch, as v1 <c>start</c>/<c>end</c> take them.</summary>
    internal static long UnixMicros(DateTimeOffset time) =>
        (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    // RFC 3339 in UTC with 7 fraction digits; Go's time.RFC3339Nano parser accepts any fraction.
    private static string Rfc3339(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string QueryString(IEnumerable<(string Name, string Value)> query) =>
        "?" + string.Join('&', query.Select(q => $"{Uri.EscapeDataString(q.Name)}={Uri.EscapeDataString(q.Value)}"));

    private static TraceSearchResult SearchFailure(TraceFetchResult failure) =>
        new(failure.Status, [], failure.Api, failure.Message);

    private TraceSearchResult InterpretV3Search(string what, Reply reply)
    {
        // Only a 404 with v3's JSON error body gets here (IsNotServed took the rest): "No traces found".
        if (reply.Status == HttpStatusCode.NotFound)
        {
            return NoTraces(what, "v3");
        }

        if (reply.Status != HttpStatusCode.OK)
        {
            return SearchFailure(BadStatus(reply, "v3"));
        }

        return TracesOrBad(what, reply, "v3", OtlpJsonParser.Parse);
    }

    private TraceSearchResult InterpretV1Search(string what, Reply reply)
    {
        if (reply.Status != HttpStatusCode.OK)
        {
            return SearchFailure(BadStatus(reply, "v1"));
        }

        if (IsNullData(reply.Body))
        {
            return NoTraces(what, "v1");
        }

        return TracesOrBad(what, reply, "v1", JaegerV1Parser.Parse);
    }

    // v1 answers an empty search with "data":[] or, from some storage backends, "data":null and no errors.
    private static bool IsNullData(string body)
    {
        try
        {
            return TraceIds.Load(body, "v1 search") is JObject obj
                && obj.TryGetValue("data", out var data) && data.Type == JTokenType.Null
                && (obj["errors"] is null || obj["errors"]!.Type == JTokenType.Null);
        }
        catch (TraceParseException)
        {
            return false;
        }
    }

    private TraceSearchResult TracesOrBad(string what, Reply reply, string api, Func<string, IReadOnlyList<Trace>> parse)
    {
        IReadOnlyList<Trace> traces;
        try
        {
            traces = parse(reply.Body);
        }
        catch (TraceParseException ex)
        {
            return new TraceSearchResult(TraceFetchStatus.BadResponse, [], api,
                $"Jaeger {_baseUrl} ({api} API) sent a bad search response: {ex.Message}; body: {Excerpt(reply.Body)}");
        }

        var found = traces.Where(t => t.Spans.Count > 0).ToList();
        if (found.Count == 0)
        {
            return NoTraces(what, api);
        }

        return new TraceSearchResult(TraceFetchStatus.Found, found, api,
            $"{found.Count} {what} found in Jaeger ({api} API)");
    }

    private static TraceSearchResult NoTraces(string what, string api) =>
        new(TraceFetchStatus.NotFound, [], api, $"no {what} in Jaeger ({api} API)");

    private IReadOnlyList<string> ReadServices(Reply reply, string property, string api)
    {
        if (reply.Status != HttpStatusCode.OK)
        {
            throw new HttpRequestException(BadStatus(reply, api).Message);
        }

        try
        {
            if (TraceIds.Load(reply.Body, "services") is JObject obj && obj[property] is JArray array)
            {
                return array.Select(t => (string?)t).OfType<string>().Order(StringComparer.Ordinal).ToList();
            }
        }
        catch (Exception ex) when (ex is TraceParseException or ArgumentException or InvalidCastException)
        {
            // Falls through to the shape error below, which quotes the body.
        }

        throw new HttpRequestException($"Jaeger {_baseUrl} ({api} API): expected {{\"{property}\":[…]}}, got: {Excerpt(reply.Body)}");
    }

    /// <summary>
    /// v3 is not served when the route is unknown: 405/501, 404 without a JSON error body (a Go mux's
    /// "404 page not found"), or HTML (the UI's index page served for any path).
    /// </summary>
    private static bool IsNotServed(Reply reply) =>
        reply.Status is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented
        || reply.IsHtml
        || (reply.Status == HttpStatusCode.NotFound
            && !(JaegerErrorBody.TryParse(reply.Body, out var error) && error.Api == "v3"));

    private TraceFetchResult InterpretV3(string id, Reply reply)
    {
        if (reply.Status == HttpStatusCode.NotFound)
        {
            return NotFound(id, "v3");
        }

        if (reply.Status != HttpStatusCode.OK)
        {
            return BadStatus(reply, "v3");
        }

        return FoundOrBad(id, reply, "v3", OtlpJsonParser.Parse);
    }

    private TraceFetchResult InterpretV1(string id, Reply reply)
    {
        if (reply.Status == HttpStatusCode.NotFound
            && JaegerErrorBody.TryParse(reply.Body, out var error) && error.Api == "v1")
        {
            return NotFound(id, "v1");
        }

        if (reply.Status != HttpStatusCode.OK)
        {
            return BadStatus(reply, "v1");
        }

        return FoundOrBad(id, reply, "v1", JaegerV1Parser.Parse);
    }

    private TraceFetchResult FoundOrBad(string id, Reply reply, string api, Func<string, IReadOnlyList<Trace>> parse)
    {
        IReadOnlyList<Trace> traces;
        try
        {
            traces = parse(reply.Body);
        }
        catch (TraceParseException ex)
        {
            return new TraceFetchResult(TraceFetchStatus.BadResponse, null, api,
                $"Jaeger {_baseUrl} ({api} API) sent a bad trace response: {ex.Message}; body: {Excerpt(reply.Body)}");
        }

        var trace = traces.FirstOrDefault(t => t.TraceId == id) ?? traces.FirstOrDefault();
        if (trace is null || trace.Spans.Count == 0)
        {
            return NotFound(id, api);
        }

        return new TraceFetchResult(TraceFetchStatus.Found, trace, api,
            $"trace {id} found in Jaeger ({api} API): {trace.Spans.Count} spans");
    }

    private static TraceFetchResult NotFound(string id, string api) =>
        new(TraceFetchStatus.NotFound, null, api, $"trace {id} not found in Jaeger ({api} API)");

    private TraceFetchResult BadStatus(Reply reply, string api)
    {
        var jaegerSays = JaegerErrorBody.TryParse(reply.Body, out var error) ? $": {SafeText.Excerpt(error.Message, BodyExcerptChars)}" : "";
        return new TraceFetchResult(TraceFetchStatus.BadResponse, null, api,
            $"Jaeger {_baseUrl} ({api} API) answered HTTP {(int)reply.Status} {reply.Status}{jaegerSays}; body: {Excerpt(reply.Body)}");
    }

    private static string Excerpt(string body) =>
        body.Length == 0 ? "(empty)" : SafeText.Excerpt(body, BodyExcerptChars);

    private async Task<Reply> SendAsync(string path, CancellationToken ct)
    {
        using var timeoutCts = new CancellationTokenSource(Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutCts.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, _baseUrl + path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = _authorization;

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (OutboundPolicyHandler.NotFollowedReason(response) is { } notFollowed)
            {
                return Failed(TraceFetchStatus.BadResponse, $"Jaeger {_baseUrl}: {notFollowed}");
            }

            var body = await BoundedBody.ReadStringAsync(response.Content, BoundedBody.DefaultMaxBytes, linked.Token).ConfigureAwait(false);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var isHtml = string.Equals(mediaType, "text/html", StringComparison.OrdinalIgnoreCase)
                || body.TrimStart().StartsWith('<');
            return new Reply(response.StatusCode, body, isHtml, null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // the caller's own cancellation (Ctrl+C) is not a Jaeger problem
        }
        catch (OperationCanceledException)
        {
            // Our timeout, or HttpClient.Timeout (a TaskCanceledException wrapping a TimeoutException).
            return Unreachable(string.Create(CultureInfo.InvariantCulture, $"timed out after {Timeout.TotalSeconds:0.###} s"));
        }
        catch (HttpRequestException ex)
        {
            return Unreachable(Describe(ex));
        }
        catch (IOException ex)
        {
            // The headers came, then the connection broke (reset, or closed before Content-Length bytes).
            return Unreachable($"connection broke while reading the answer: {SafeText.Excerpt(ex.Message, CauseChars)}");
        }
        catch (ResponseTooLargeException ex)
        {
            return Failed(TraceFetchStatus.BadResponse, $"Jaeger {_baseUrl}: {ex.Message}");
        }
    }

    private Reply Unreachable(string why) => Failed(TraceFetchStatus.Unreachable, $"Jaeger {_baseUrl} unreachable: {why}");

    private static Reply Failed(TraceFetchStatus status, string message) =>
        new(0, "", false, new TraceFetchResult(status, null, null, message));

    private static string Describe(HttpRequestException ex)
    {
        var socket = ex.InnerException as SocketException ?? ex.InnerException?.InnerException as SocketException;
        return socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found (DNS)",
            SocketError.TimedOut => "connect timed out",
            SocketError.NetworkUnreachable or SocketError.HostUnreachable => "network unreachable",
            SocketError.ConnectionReset => "connection reset",
            _ => SafeText.Excerpt(ex.InnerException?.Message ?? ex.Message, CauseChars),
        };
    }

    /// <summary>One HTTP answer, or the failure that stood in for it.</summary>
    private sealed record Reply(HttpStatusCode Status, string Body, bool IsHtml, TraceFetchResult? Failure);
}
