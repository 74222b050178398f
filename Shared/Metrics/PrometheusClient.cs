using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Http;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Metrics;

/// <summary>Client for the Prometheus HTTP API (<c>/api/v1/...</c>): queries, metric names, series, metadata, targets, build info.</summary>
/// <remarks>
/// Retries: a 503 (query timeout or a server restarting) and a failure to get any response (connection refused,
/// reset) are retried once, immediately; anything longer than a blip is reported rather than waited out.
/// A 4xx is never retried: the same request would fail the same way. Every failure is a <see cref="PrometheusException"/>.
/// Shape: a query result whose data, result type or samples are malformed is an <see cref="PrometheusErrorKind.InvalidResponse"/>;
/// elsewhere a field of the wrong JSON type (a label value, a target's health, a build version that is not a string) reads as
/// absent, as a missing one does. Messages are one line, however the server's text is broken.
/// </remarks>
public sealed class PrometheusClient
{
    private const int MaxAttempts = 2;

    // The server's error text is kept whole up to here: Prometheus explains a bad query in it.
    private const int MaxMessageChars = 1000;

    private readonly HttpClient _http;
    private readonly Uri _baseAddress;
    private readonly AuthenticationHeaderValue? _authorization;

    /// <param name="http">Used as given; the caller owns its lifetime and timeout.</param>
    /// <param name="baseAddress">Prometheus root, e.g. <c>http://localhost:9090</c> (a path prefix such as <c>/prometheus/</c> is kept).</param>
    /// <param name="bearerToken">Sent as <c>Authorization: Bearer</c> when not empty; callers pass <c>PROMETHEUS_TOKEN</c>. Without one, a <c>user:password@</c> in <paramref name="baseAddress"/> is sent as Basic.</param>
    public PrometheusClient(HttpClient http, Uri baseAddress, string? bearerToken = null)
    {
        _http = http;
        var root = baseAddress.ToString();
        _baseAddress = new Uri(root.EndsWith('/') ? root : root + "/");
        // A URL's user:password is sent as Basic authentication (HttpClient would drop it); a token wins.
        _authorization = !string.IsNullOrWhiteSpace(bearerToken)
            ? new AuthenticationHeaderValue("Bearer", bearerToken.Trim())
            : UrlCredentials.BasicAuthorization(baseAddress) is { } basic ? AuthenticationHeaderValue.Parse(basic) : null;
    }

    public Uri BaseAddress => _baseAddress;

    /// <summary>Instant query; <paramref name="time"/> null lets the server use its own now.</summary>
    public async Task<PrometheusResponse<PrometheusQueryResult>> QueryAsync(string promql, DateTimeOffset? time = null, CancellationToken ct = default)
    {
        var parameters = new List<(string, string)> { ("query", promql) };
        if (time is { } t)
        {
            parameters.Add(("time", PrometheusTime.Format(t)));
        }

        var (data, warnings) = await GetAsync("api/v1/query", parameters, ct).ConfigureAwait(false);
        return new(ParseQueryResult(data), warnings);
    }

    /// <summary>Range query over [start, end] every <paramref name="step"/>.</summary>
    public async Task<PrometheusResponse<PrometheusQueryResult>> QueryRangeAsync(
        string promql, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken ct = default)
    {
        var parameters = new List<(string, string)>
        {
            ("query", promql),
            ("start", PrometheusTime.Format(start)),
            ("end", PrometheusTime.Format(end)),
            ("step", FormatSeconds(step.TotalSeconds)),
        };
        var (data, warnings) = await GetAsync("api/v1/query_range", parameters, ct).ConfigureAwait(false);
        return new(ParseQueryResult(data), warnings);
    }

    /// <summary>All metric (series) names, from <c>/api/v1/label/__name__/values</c>, optionally limited to series present in [start, end]
    /// and matching <paramref name="match"/> (a selector such as <c>{job="forum"}</c>).</summary>
    public Task<PrometheusResponse<IReadOnlyList<string>>> MetricNamesAsync(
        DateTimeOffset? start = null, DateTimeOffset? end = null, string? match = null, CancellationToken ct = default) =>
        LabelValuesAsync("__name__", start, end, match, ct);

    /// <summary>The values of label <paramref name="label"/>, from <c>/api/v1/label/&lt;label&gt;/values</c>, optionally limited to
    /// series present in [start, end] and matching <paramref name="match"/>: one entry per value, however many series carry it.</summary>
    public async Task<PrometheusResponse<IReadOnlyList<string>>> LabelValuesAsync(
        string label, DateTimeOffset? start = null, DateTimeOffset? end = null, string? match = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        var parameters = TimeRange(start, end);
        if (!string.IsNullOrEmpty(match))
        {
            parameters.Insert(0, ("match[]", match));
        }

        var (data, warnings) = await GetAsync($"api/v1/label/{Uri.EscapeDataString(label)}/values", parameters, ct).ConfigureAwait(false);
        return new(ReadStrings(data), warnings);
    }

    /// <summary>Label names, from <c>/api/v1/labels</c>, optionally limited to series present in [start, end] and matching
    /// <paramref name="match"/> (a selector such as <c>http_server_request_duration_seconds_count{job="forum"}</c>): one entry per
    /// name, however many series carry it.</summary>
    /// <remarks>Servers before Prometheus 2.24 ignore <c>match[]</c> here and answer every label name they hold.</remarks>
    public async Task<PrometheusResponse<IReadOnlyList<string>>> LabelNamesAsync(
        DateTimeOffset? start = null, DateTimeOffset? end = null, string? match = null, CancellationToken ct = default)
    {
        var parameters = TimeRange(start, end);
        if (!string.IsNullOrEmpty(match))
        {
            parameters.Insert(0, ("match[]", match));
        }

        var (data, warnings) = await GetAsync("api/v1/labels", parameters, ct).ConfigureAwait(false);
        return new(ReadStrings(data), warnings);
    }

    /// <summary>The label sets of series matching <paramref name="match"/> (<c>/api/v1/series</c>); <paramref name="limit"/> is sent as <c>limit</c>, which servers before 2.51 ignore.</summary>
    /// <remarks>The answer holds every matching series: for a histogram of many routes, megabytes. Where only the label
    /// names are wanted, <see cref="LabelNamesAsync"/> answers the same in a few bytes.</remarks>
    public async Task<PrometheusResponse<IReadOnlyList<IReadOnlyDictionary<string, string>>>> SeriesAsync(
        string match, DateTimeOffset? start = null, DateTimeOffset? end = null, int? limit = null, CancellationToken ct = default)
    {
        var parameters = TimeRange(start, end);
        parameters.Insert(0, ("match[]", match));
        if (limit is { } l)
        {
            parameters.Add(("limit", l.ToString(CultureInfo.InvariantCulture)));
        }

        var (data, warnings) = await GetAsync("api/v1/series", parameters, ct).ConfigureAwait(false);
        var series = new List<IReadOnlyDictionary<string, string>>();
        if (data is JArray array)
        {
            foreach (var item in array.OfType<JObject>())
            {
                series.Add(ReadLabels(item));
            }
        }

        return new(series, warnings);
    }

    /// <summary>Metric metadata from <c>/api/v1/metadata</c>: family name → type (<c>counter</c>, <c>gauge</c>, <c>histogram</c>, <c>summary</c>, ...).</summary>
    /// <remarks>Keys are family names as the targets exposed them: an OpenMetrics counter appears without <c>_total</c>.</remarks>
    public async Task<PrometheusResponse<IReadOnlyDictionary<string, string>>> MetadataAsync(CancellationToken ct = default)
    {
        var (data, warnings) = await GetAsync("api/v1/metadata", [], ct).ConfigureAwait(false);
        var types = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (data is JObject families)
        {
            foreach (var (name, entries) in families)
            {
                // one entry per distinct (type, help, unit) among targets: the first type is taken
                var type = (entries as JArray)?.OfType<JObject>().Select(e => Text(e["type"])).FirstOrDefault(t => t != null);
                if (type != null)
                {
                    types[name] = type;
                }
            }
        }

        return new(types, warnings);
    }

    /// <summary>Active scrape targets from <c>/api/v1/targets</c>.</summary>
    public async Task<PrometheusResponse<IReadOnlyList<PrometheusTarget>>> TargetsAsync(CancellationToken ct = default)
    {
        var (data, warnings) = await GetAsync("api/v1/targets", [("state", "active")], ct).ConfigureAwait(false);
        var targets = new List<PrometheusTarget>();
        foreach (var target in ((data as JObject)?["activeTargets"] as JArray)?.OfType<JObject>() ?? [])
        {
            var labels = target["labels"] as JObject;
            targets.Add(new PrometheusTarget(
                Text(labels?["job"]) ?? "",
                Text(labels?["instance"]) ?? "",
                Text(target["scrapeUrl"]) ?? "",
                Text(target["health"]) ?? "",
                Text(target["lastError"]) ?? ""));
        }

        return new(targets, warnings);
    }

    /// <summary>The server's version, from <c>/api/v1/status/buildinfo</c>.</summary>
    public async Task<PrometheusResponse<PrometheusBuildInfo>> BuildInfoAsync(CancellationToken ct = default)
    {
        var (data, warnings) = await GetAsync("api/v1/status/buildinfo", [], ct).ConfigureAwait(false);
        var info = data as JObject;
        return new(
            new PrometheusBuildInfo(Text(info?["version"]) ?? "", Text(info?["revision"]) ?? "", Text(info?["goVersion"]) ?? ""),
            warnings);
    }

    private static string FormatSeconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static List<(string, string)> TimeRange(DateTimeOffset? start, DateTimeOffset? end)
    {
        var parameters = new List<(string, string)>();
        if (start is { } s)
        {
            parameters.Add(("start", PrometheusTime.Format(s)));
        }

        if (end is { } e)
        {
            parameters.Add(("end", PrometheusTime.Format(e)));
        }

        return parameters;
    }

    private async Task<(JToken? Data, IReadOnlyList<string> Warnings)> GetAsync(
        string path, IReadOnlyList<(string Name, string Value)> parameters, CancellationToken ct)
    {
        var query = string.Join("&", parameters.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));
        var uri = new Uri(_baseAddress, query.Length == 0 ? path : path + "?" + query);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SendOnceAsync(uri, ct).ConfigureAwait(false);
            }
            catch (PrometheusException e) when (attempt < MaxAttempts && IsRetryable(e))
            {
                // retried once, see the class remarks
            }
        }
    }

    // A timeout is not a blip: retrying it would double the wait the caller bounded with HttpClient.Timeout.
    private static bool IsRetryable(PrometheusException e) =>
        (e.Kind == PrometheusErrorKind.Connection && e.InnerException is not OperationCanceledException)
        || e.Status == HttpStatusCode.ServiceUnavailable;

    private async Task<(JToken? Data, IReadOnlyList<string> Warnings)> SendOnceAsync(Uri uri, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = _authorization;

        // HttpClient.Timeout stops at the headers when they are read apart from the body, so the same limit is
        // set again over both: a server trickling its answer must not hold the caller past it.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (_http.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            limit.CancelAfter(_http.Timeout);
        }

        var path = uri.GetLeftPart(UriPartial.Path);
        HttpResponseMessage? response = null;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token).ConfigureAwait(false);
            if (OutboundPolicyHandler.NotFollowedReason(response) is { } notFollowed)
            {
                throw new PrometheusException(PrometheusErrorKind.InvalidResponse, response.StatusCode, null, $"{path}: {notFollowed}");
            }

            var body = await BoundedBody.ReadStringAsync(response.Content, BoundedBody.DefaultMaxBytes, limit.Token).ConfigureAwait(false);
            return ParseEnvelope(uri, response.StatusCode, body);
        }
        catch (HttpRequestException e)
        {
            throw new PrometheusException(PrometheusErrorKind.Connection, null, null, $"{path}: no response: {SafeText.Excerpt(e.Message, MaxMessageChars)}", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            // HttpClient.Timeout or our limit, not the caller's cancellation
            var what = response is null ? "no response" : "answer not complete";
            throw new PrometheusException(PrometheusErrorKind.Connection, response?.StatusCode, null,
                string.Create(CultureInfo.InvariantCulture, $"{path}: {what} within {_http.Timeout.TotalSeconds:0.###} s"), e);
        }
        catch (IOException e)
        {
            throw new PrometheusException(PrometheusErrorKind.Connection, response?.StatusCode, null,
                $"{path}: connection broke while reading the answer: {SafeText.Excerpt(e.Message, MaxMessageChars)}", e);
        }
        catch (ResponseTooLargeException e)
        {
            throw new PrometheusException(PrometheusErrorKind.InvalidResponse, response?.StatusCode, null, $"{path}: {e.Message}", e);
        }
        finally
        {
            response?.Dispose();
        }
    }

    private static (JToken? Data, IReadOnlyList<string> Warnings) ParseEnvelope(Uri uri, HttpStatusCode status, string body)
    {
        var where = $"{uri.GetLeftPart(UriPartial.Path)} (HTTP {(int)status})";
        JObject? envelope = null;
        try
        {
            envelope = JToken.Parse(body) as JObject;
        }
        catch (JsonException)
        {
            // not JSON: handled below with the status code
        }

        if (envelope?["status"] is not JValue { Type: JTokenType.String } statusToken)
        {
            var kind = status switch
            {
                HttpStatusCode.ServiceUnavailable => PrometheusErrorKind.Unavailable,
                HttpStatusCode.NotFound => PrometheusErrorKind.NotFound,
                _ => PrometheusErrorKind.InvalidResponse,
            };
            throw new PrometheusException(kind, status, null, $"{where}: not a Prometheus API response: {Excerpt(body)}");
        }

        if ((string?)statusToken != "success")
        {
            var errorType = Text(envelope["errorType"]);
            var message = SafeText.Excerpt(Text(envelope["error"]) ?? "(no error message)", MaxMessageChars);
            throw new PrometheusException(KindOf(errorType), status, errorType, $"{where}: {SafeText.Excerpt(errorType ?? "", 40)}: {message}");
        }

        if ((int)status >= 300)
        {
            throw new PrometheusException(PrometheusErrorKind.InvalidResponse, status, null, $"{where}: status success with an HTTP error code");
        }

        var warnings = (envelope["warnings"] as JArray)?.Select(w => SafeText.Excerpt(Text(w) ?? w.ToString(Formatting.None), MaxMessageChars)).ToList() ?? [];
        return (envelope["data"], warnings);
    }

    private static PrometheusErrorKind KindOf(string? errorType) => errorType switch
    {
        "bad_data" => PrometheusErrorKind.BadData,
        "execution" => PrometheusErrorKind.Execution,
        "timeout" => PrometheusErrorKind.Timeout,
        "canceled" => PrometheusErrorKind.Canceled,
        "internal" => PrometheusErrorKind.Internal,
        "unavailable" => PrometheusErrorKind.Unavailable,
        "not_found" => PrometheusErrorKind.NotFound,
        _ => PrometheusErrorKind.Other,
    };

    private static string Excerpt(string body)
    {
        var flat = SafeText.Excerpt(body, 200);
        return flat.Length == 0 ? "(empty body)" : flat;
    }

    /// <summary>A JSON string's value; null for anything else, so a number, object or array where a string belongs reads as absent.</summary>
    private static string? Text(JToken? token) => token is JValue { Type: JTokenType.String } value ? (string?)value.Value : null;

    private static PrometheusQueryResult ParseQueryResult(JToken? data)
    {
        if (data is not JObject obj)
        {
            throw new PrometheusException(PrometheusErrorKind.InvalidResponse, HttpStatusCode.OK, null,
                $"query data is not an object with resultType and result: {SafeText.Excerpt(data?.ToString(Formatting.None) ?? "null", 100)}");
        }

        var type = Text(obj["resultType"]);
        var result = obj["result"];
        switch (type)
        {
            case "vector":
                return new(PrometheusResultType.Vector, ReadSeries(result, "value"));
            case "matrix":
                return new(PrometheusResultType.Matrix, ReadSeries(result, "values"));
            case "scalar":
                return new(PrometheusResultType.Scalar, [new PrometheusSeries(new Dictionary<string, string>(), [ReadSample(result)])]);
            case "string":
                return new(PrometheusResultType.String, [], result is JArray { Count: 2 } pair ? Text(pair[1]) : null);
            default:
                throw new PrometheusException(PrometheusErrorKind.InvalidResponse, HttpStatusCode.OK, null,
                    $"unknown resultType {SafeText.Excerpt(obj["resultType"]?.ToString(Formatting.None) ?? "(none)", 40)}");
        }
    }

    private static List<PrometheusSeries> ReadSeries(JToken? result, string samplesField)
    {
        var series = new List<PrometheusSeries>();
        foreach (var item in (result as JArray)?.OfType<JObject>() ?? [])
        {
            var labels = ReadLabels(item["metric"] as JObject);
            var samples = samplesField == "value"
                ? new List<PrometheusSample> { ReadSample(item["value"]) }
                : ((item["values"] as JArray) ?? []).Select(ReadSample).ToList();
            series.Add(new PrometheusSeries(labels, samples));
        }

        return series;
    }

    /// <summary><c>[unix_seconds, "value"]</c>; a JSON number or null as the value is taken too (null as NaN).</summary>
    private static PrometheusSample ReadSample(JToken? pair)
    {
        if (pair is JArray { Count: 2 } array
            && array[0] is JValue { Type: JTokenType.Integer or JTokenType.Float } time
            && array[1] switch
            {
                JValue { Type: JTokenType.String } text => PrometheusSample.TryParseValue((string?)text.Value, out var parsed) ? parsed : (double?)null,
                JValue { Type: JTokenType.Integer or JTokenType.Float } number => (double)number,
                JValue { Type: JTokenType.Null } => double.NaN,
                _ => null,
            } is { } value)
        {
            return new PrometheusSample((double)time, value);
        }

        throw new PrometheusException(PrometheusErrorKind.InvalidResponse, HttpStatusCode.OK, null,
            $"malformed sample {SafeText.Excerpt(pair?.ToString(Formatting.None) ?? "(none)", 100)}");
    }

    /// <summary>Label name → value; a value that is not a string is left out, as a missing label.</summary>
    private static SortedDictionary<string, string> ReadLabels(JObject? labels)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in labels ?? [])
        {
            if (Text(value) is { } text)
            {
                result[name] = text;
            }
        }

        return result;
    }

    private static List<string> ReadStrings(JToken? data) =>
        (data as JArray)?.Select(Text).OfType<string>().ToList() ?? [];
}
