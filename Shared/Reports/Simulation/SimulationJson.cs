using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Reports.Simulation;

/// <summary>Writes and reads <c>simulation_*.json</c>, the summary of one scenario (the per-second series is in the CSV).</summary>
/// <remarks>
/// Keys: scenario, base_url, started_at (ISO 8601, the start of the measured schedule, after any warm-up), target_rps
/// (0 = as fast as possible), achieved_rps, duration_s, warmup_seconds and warmup_requests (the scenario's traffic sent
/// before it was measured and left out of every other figure; 0 without a warm-up), max_in_flight, requests, ok, errors, late, max_lag_ms, generator {behind, items, late_own, late_own_share, max_own_lag_ms,
/// round_based, warning when behind} (open model and rounds only: sends late through the generator's own delay, see
/// <see cref="GeneratorLag"/>), latency_ms {p50, p90, p95, p99, max, mean} (corrected: from
/// the due time), latency_uncorrected_ms (raw: from the actual send), status_codes {"200": n}, errors_by_kind
/// {"Timeout": n}, for round-based scenarios rounds and late_rounds, routes {label: {headline, requests, ok, errors,
/// late, latency_ms, latency_uncorrected_ms, status_codes, errors_by_kind, latency_histogram,
/// latency_histogram_uncorrected}} (each route on its own, its histograms as the scenario's below, so the routes of
/// N shards add up exactly; headline false for a route reported beside the scenario's figures, which then leave it
/// out), and latency_histogram
/// [[value_us, count], …]: the corrected latencies as the HdrHistogram holds them, one pair per non-empty bucket,
/// ascending, each at its bucket's lowest value (3 significant digits: exact below 2048 µs, at most 0.1% low above) —
/// the samples a later run's comparison tests (<see cref="LatencyComparer"/>), and latency_histogram_uncorrected, the
/// same for the uncorrected latencies (compared too, against the generator's own lag). Latencies are ms with exactly 3
/// decimals (integer µs), in the invariant culture. Files written before p95, mean, latency_histogram(_uncorrected),
/// routes and the warm-up keys existed still read: those are then null, empty and 0.
/// </remarks>
public static class SimulationJson
{
    private const string Report = "simulation report";

    public static void Write(Stream destination, SimulationStats stats)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(stats);
        ReportJson.Write(destination, json =>
        {
            json.WriteStartObject();
            Property(json, "scenario", stats.Scenario);
            Property(json, "base_url", stats.BaseUrl);
            Property(json, "started_at", stats.StartedAt.ToString("o", CultureInfo.InvariantCulture));
            json.WritePropertyName("target_rps");
            json.WriteValue(stats.TargetRps);
            json.WritePropertyName("achieved_rps");
            json.WriteRawValue(CsvFiles.Fixed3(stats.AchievedRps));
            json.WritePropertyName("duration_s");
            json.WriteValue(stats.DurationSeconds);
            json.WritePropertyName("warmup_seconds");
            json.WriteValue(stats.WarmupSeconds);
            Property(json, "warmup_requests", stats.WarmupRequests);
            Property(json, "max_in_flight", stats.MaxInFlight);
            Property(json, "requests", stats.Requests);
            Property(json, "ok", stats.Ok);
            Property(json, "errors", stats.Errors);
            Property(json, "late", stats.Late);
            Millis(json, "max_lag_ms", stats.MaxLagMicros);
            if (stats.Generator is { } generator)
            {
                json.WritePropertyName("generator");
                json.WriteStartObject();
                Property(json, "behind", generator.Behind);
                Property(json, "items", generator.Items);
                Property(json, "late_own", generator.LateOwn);
                json.WritePropertyName("late_own_share");
                json.WriteRawValue(CsvFiles.Fixed3(generator.Share));
                Millis(json, "max_own_lag_ms", generator.MaxOwnLagMicros);
                Property(json, "round_based", generator.RoundBased);
                if (generator.Behind)
                {
                    Property(json, "warning", generator.Warning);
                }

                json.WriteEndObject();
            }

            Latency(json, "latency_ms", stats.Latency);
            Latency(json, "latency_uncorrected_ms", stats.LatencyUncorrected);
            Counts(json, stats.StatusCodes, stats.ErrorsByKind);
            if (stats.Rounds is { } rounds)
            {
                Property(json, "rounds", rounds);
                Property(json, "late_rounds", stats.LateRounds ?? 0);
            }

            json.WritePropertyName("routes");
            json.WriteStartObject();
            foreach (RouteStats route in stats.Routes)
            {
                json.WritePropertyName(route.Label);
                json.WriteStartObject();
                Property(json, "headline", route.Headline);
                Property(json, "requests", route.Requests);
                Property(json, "ok", route.Ok);
                Property(json, "errors", route.Errors);
                Property(json, "late", route.Late);
                Latency(json, "latency_ms", route.Latency);
                Latency(json, "latency_uncorrected_ms", route.LatencyUncorrected);
                Counts(json, route.StatusCodes, route.ErrorsByKind);
                Histogram(json, "latency_histogram", route.LatencyHistogram);
                Histogram(json, "latency_histogram_uncorrected", route.LatencyHistogramUncorrected);
                json.WriteEndObject();
            }

            json.WriteEndObject();

            Histogram(json, "latency_histogram", stats.LatencyHistogram);
            Histogram(json, "latency_histogram_uncorrected", stats.LatencyHistogramUncorrected);

            json.WriteEndObject();
        });
    }

    public static void WriteFile(string path, SimulationStats stats) =>
        AtomicFile.Write(path, stream => Write(stream, stats));

    /// <summary>Reads the summary back; <see cref="SimulationStats.Seconds"/> is empty (read the CSV for it).</summary>
    /// <exception cref="InvalidDataException">Not one JSON object, or a key is missing or has the wrong type; one line.</exception>
    public static SimulationStats Read(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        JObject root = ReportReadError.ReadJsonObject(source, Report);

        try
        {
            return new SimulationStats(
                root.Value<string>("scenario") ?? throw Missing("scenario"),
                root.Value<string>("base_url") ?? throw Missing("base_url"),
                DateTimeOffset.Parse(root.Value<string>("started_at") ?? throw Missing("started_at"), CultureInfo.InvariantCulture,
                    DateTimeStyles.RoundtripKind),
                Required<double>(root, "target_rps"),
                Required<double>(root, "duration_s"),
                Required<int>(root, "max_in_flight"),
                Required<long>(root, "requests"),
                Required<long>(root, "ok"),
                Required<long>(root, "errors"),
                Required<long>(root, "late"),
                MicrosOf(root["max_lag_ms"], "max_lag_ms"),
                ReadLatency(root, "latency_ms"),
                ReadLatency(root, "latency_uncorrected_ms"),
                Counts(root, "status_codes").ToDictionary(kv => int.Parse(kv.Key, CultureInfo.InvariantCulture), kv => kv.Value),
                Counts(root, "errors_by_kind").ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
                root["rounds"]?.Value<long>(),
                root["late_rounds"]?.Value<long>(),
                [])
            {
                LatencyHistogram = ReadHistogram(root, "latency_histogram"),
                LatencyHistogramUncorrected = ReadHistogram(root, "latency_histogram_uncorrected"),
                Routes = ReadRoutes(root),
                WarmupSeconds = Optional<double>(root, "warmup_seconds"),
                WarmupRequests = Optional<long>(root, "warmup_requests"),
                Generator = root["generator"] is JObject g
                    ? new GeneratorLag(Required<long>(g, "items", "generator"), Required<long>(g, "late_own", "generator"),
                        MicrosOf(g["max_own_lag_ms"], "generator.max_own_lag_ms"),
                        g["round_based"] is { Type: JTokenType.Boolean } rb ? rb.Value<bool>() : throw Missing("generator.round_based"))
                    : null,
            };
        }
        catch (Exception e) when (ReportReadError.IsDataError(e))
        {
            throw ReportReadError.Create(Report, $"malformed: {e.Message}", e);
        }
    }

    /// <exception cref="InvalidDataException">As <see cref="Read"/>, the message starting with the path.</exception>
    public static SimulationStats ReadFile(string path) => ReportReadError.FromFile(path, Read);

    private static void Property(JsonTextWriter json, string name, object value)
    {
        json.WritePropertyName(name);
        json.WriteValue(value);
    }

    /// <summary>status_codes {"200": n} and errors_by_kind {"Timeout": n}, of a scenario or of one route.</summary>
    private static void Counts(JsonTextWriter json, IReadOnlyDictionary<int, long> statusCodes, IReadOnlyDictionary<string, long> errorsByKind)
    {
        json.WritePropertyName("status_codes");
        json.WriteStartObject();
        foreach (var (code, count) in statusCodes)
        {
            Property(json, code.ToString(CultureInfo.InvariantCulture), count);
        }

        json.WriteEndObject();
        json.WritePropertyName("errors_by_kind");
        json.WriteStartObject();
        foreach (var (kind, count) in errorsByKind)
        {
            Property(json, kind, count);
        }

        json.WriteEndObject();
    }

    private static void Millis(JsonTextWriter json, string name, long micros)
    {
        json.WritePropertyName(name);
        json.WriteRawValue(Milliseconds.FromMicros(micros));
    }

    private static void Latency(JsonTextWriter json, string name, LatencySummary latency)
    {
        json.WritePropertyName(name);
        json.WriteStartObject();
        Millis(json, "p50", latency.P50Micros);
        Millis(json, "p90", latency.P90Micros);
        if (latency.P95Micros is { } p95)
        {
            Millis(json, "p95", p95);
        }

        Millis(json, "p99", latency.P99Micros);
        Millis(json, "max", latency.MaxMicros);
        if (latency.MeanMicros is { } mean)
        {
            Millis(json, "mean", mean);
        }

        json.WriteEndObject();
    }

    /// <param name="at">Where <paramref name="root"/> is in the file, for messages; null at the top.</param>
    private static LatencySummary ReadLatency(JObject root, string key, string? at = null)
    {
        string name = at is null ? key : $"{at}.{key}";
        if (root[key] is not JObject o)
        {
            throw Missing(name);
        }

        return new LatencySummary(
            MicrosOf(o["p50"], $"{name}.p50"), MicrosOf(o["p90"], $"{name}.p90"),
            MicrosOf(o["p99"], $"{name}.p99"), MicrosOf(o["max"], $"{name}.max"))
        {
            P95Micros = o["p95"] is null ? null : MicrosOf(o["p95"], $"{name}.p95"),
            MeanMicros = o["mean"] is null ? null : MicrosOf(o["mean"], $"{name}.mean"),
        };
    }

    /// <summary>The routes in file order; none when the key is absent (a file from before it existed).</summary>
    private static List<RouteStats> ReadRoutes(JObject root)
    {
        var routes = new List<RouteStats>();
        switch (root["routes"])
        {
            case null:
                return routes;
            case JObject labels:
                foreach (JProperty p in labels.Properties())
                {
                    string at = $"routes[\"{SafeText.Printable(p.Name)}\"]";
                    if (p.Value is not JObject route)
                    {
                        throw ReportReadError.Create(Report, $"{at} is {ReportReadError.Kind(p.Value)}, not an object");
                    }

                    routes.Add(new RouteStats(
                        p.Name,
                        route["headline"] is { Type: JTokenType.Boolean } headline ? headline.Value<bool>() : throw Missing($"{at}.headline"),
                        Required<long>(route, "requests", at),
                        Required<long>(route, "ok", at),
                        Required<long>(route, "errors", at),
                        Required<long>(route, "late", at),
                        ReadLatency(route, "latency_ms", at),
                        ReadLatency(route, "latency_uncorrected_ms", at),
                        Counts(route, "status_codes", at).ToDictionary(kv => int.Parse(kv.Key, CultureInfo.InvariantCulture), kv => kv.Value),
                        Counts(route, "errors_by_kind", at).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal))
                    {
                        LatencyHistogram = ReadHistogram(route, "latency_histogram", at),
                        LatencyHistogramUncorrected = ReadHistogram(route, "latency_histogram_uncorrected", at),
                    });
                }

                return routes;
            default:
                throw ReportReadError.Create(Report, "routes is not an object of label: {requests, ok, …}");
        }
    }

    private static void Histogram(JsonTextWriter json, string name, IReadOnlyList<(long ValueMicros, long Count)> histogram)
    {
        json.WritePropertyName(name);
        json.WriteStartArray();
        foreach ((long micros, long count) in histogram)
        {
            // One pair a line: a few hundred short lines rather than four lines a bucket.
            json.WriteRawValue(string.Create(CultureInfo.InvariantCulture, $"[{micros}, {count}]"));
        }

        json.WriteEndArray();
    }

    /// <summary>The pairs of a histogram key; none when the key is absent (a file from before it existed).</summary>
    private static List<(long ValueMicros, long Count)> ReadHistogram(JObject root, string key, string? at = null)
    {
        string name = at is null ? key : $"{at}.{key}";
        var histogram = new List<(long ValueMicros, long Count)>();
        switch (root[key])
        {
            case null:
                return histogram;
            case JArray pairs:
                foreach (JToken pair in pairs)
                {
                    if (pair is not JArray { Count: 2 } p
                        || p[0].Type != JTokenType.Integer || p[1].Type != JTokenType.Integer
                        || p[0].Value<long>() < 0 || p[1].Value<long>() < 0)
                    {
                        throw ReportReadError.Create(Report, $"{name} entry {histogram.Count + 1} is not [value_us, count] of whole numbers ≥ 0");
                    }

                    histogram.Add((p[0].Value<long>(), p[1].Value<long>()));
                }

                return histogram;
            default:
                throw ReportReadError.Create(Report, $"{name} is not an array of [value_us, count]");
        }
    }

    /// <summary>Reads ms as written (the token's text, not a double) so µs come back exactly.</summary>
    private static long MicrosOf(JToken? token, string name) =>
        token is { Type: JTokenType.Float or JTokenType.Integer }
            ? Milliseconds.ToMicros(token.ToString(Formatting.None))
            : throw Missing(name);

    private static T Required<T>(JObject root, string key, string? at = null) =>
        root[key] is { Type: JTokenType.Float or JTokenType.Integer } token ? token.Value<T>()! : throw Missing(at is null ? key : $"{at}.{key}");

    /// <summary>A number added after files were first written: 0 when absent (an older file), else as <see cref="Required{T}"/>.</summary>
    private static T Optional<T>(JObject root, string key) where T : struct =>
        root[key] is null ? default : Required<T>(root, key);

    private static IEnumerable<KeyValuePair<string, long>> Counts(JObject root, string key, string? at = null) =>
        root[key] is JObject o
            ? o.Properties().Select(p => new KeyValuePair<string, long>(p.Name, p.Value.Value<long>()))
            : throw Missing(at is null ? key : $"{at}.{key}");

    private static InvalidDataException Missing(string name) => ReportReadError.Create(Report, $"lacks a number/text '{name}'");
}
