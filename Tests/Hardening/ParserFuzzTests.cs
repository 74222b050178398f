using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Http;
using PerfTools.Shared.Http.Engine;
using PerfTools.Shared.Metrics;
using PerfTools.Shared.Reports.Analyzer;
using PerfTools.Shared.Reports.Comparison;
using PerfTools.Shared.Reports.Detector;
using PerfTools.Shared.Reports.Simulation;
using PerfTools.Shared.Tracing;
using PerfTools.Tests.Fakes;
using PerfTools.Tests.Http;
using PerfTools.Tests.Reports;
using PerfTools.Tests.Reports.Detector;
using PerfTools.Tests.Reports.Simulation;
using RichardSzalay.MockHttp;
using StackTrace = System.Diagnostics.StackTrace;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace PerfTools.Tests.Hardening;

/// <summary>
/// Issue 6, "the parsers survive random mutation": thousands of seeded mutations of the recorded Prometheus and Jaeger
/// answers and of the report files each give a result or the parser's typed error, within a time bound, never anything else.
/// </summary>
/// <remarks>
/// Each case runs <see cref="InputsPerCase"/> inputs from one seed; a failure lists every distinct crash site with the
/// seed, the input's number, the mutations applied and the mutated text around the first changed byte, so rerunning the
/// same case reproduces it. Parsed traces also go through the analyses (breakdown, repeated calls, critical path):
/// a trace that parses but makes no sense (negative durations, parent cycles, duplicate ids) must not crash or hang them.
/// Slow as a whole (some ten seconds), each case a second or two.
/// </remarks>
[Category("Slow")]
public sealed class ParserFuzzTests
{
    private const int Seed = 20261125;
    private const int InputsPerCase = 2000;

    // Far above the few milliseconds an input takes: only a loop that does not end, or work out of all proportion, hits it.
    private static readonly TimeSpan PerInputLimit = TimeSpan.FromSeconds(5);

    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static readonly DateTimeOffset SearchStart = new(2024, 1, 15, 10, 0, 0, TimeSpan.Zero);

    // Exception.Data key: how the trace was scrambled when the analysis of a rewired copy failed.
    private const string RewiredKey = "rewired";

    private static readonly string[] Readers =
        ["PerformanceDataJson", "SimulationJson", "FindingsJson", "RequestsCsv", "SummaryCsv", "SimulationCsv", "FindingsCsv",
            "ComparisonJson", "ComparisonCsv", "FindingChangesJson", "FindingChangesCsv"];

    [TestCase("project")]
    [TestCase("shared")]
    public void PrometheusClient_MutatedResponses_ResultOrPrometheusException(string corpus)
    {
        var fixtures = PrometheusApiFixtures(corpus);

        Fuzz($"PrometheusClient ({corpus})", fixtures, Seed + 1, CallPrometheusAsync, e => e is PrometheusException);
    }

    [TestCase("project")]
    [TestCase("shared")]
    public void PrometheusTextParser_MutatedExpositions_InventoryAndDiscoveryNeverThrow(string corpus)
    {
        var fixtures = corpus == "project"
            ? [Fixture.Of(Path.Combine(AppContext.BaseDirectory, "testdata", "prometheus", "forum_prometheus-net.prom"), "text")]
            : Directory.GetFiles(Path.Combine(SharedOrIgnore("prometheus"), "metrics"), "*.prom").Order(StringComparer.Ordinal)
                .Select(f => Fixture.Of(f, "text")).ToList();

        // The text parser has no error of its own: whatever the text, it gives the inventory it could read.
        Fuzz($"PrometheusTextParser ({corpus})", fixtures, Seed + 2, (_, body, _) =>
        {
            var inventory = PrometheusTextParser.Parse(Encoding.UTF8.GetString(body));
            var found = MetricDiscovery.Discover(inventory);
            Require(found.Describe().All(line => !line.Contains('\n', StringComparison.Ordinal)), "discovery lines are one line each");
            return Task.CompletedTask;
        }, isTyped: null);
    }

    [TestCase("v1", "project")]
    [TestCase("v1", "shared")]
    [TestCase("otlp", "project")]
    [TestCase("otlp", "shared")]
    public void TraceParser_MutatedTraces_TracesOrTraceParseExceptionAndAnalysesComplete(string parser, string corpus)
    {
        // Every Jaeger fixture goes to both parsers: each must cope with the other's shape too.
        var fixtures = JaegerFixtures(corpus);
        Func<string, IReadOnlyList<Trace>> parse = parser == "v1" ? JaegerV1Parser.Parse : OtlpJsonParser.Parse;

        Fuzz($"{(parser == "v1" ? "JaegerV1Parser" : "OtlpJsonParser")} ({corpus})", fixtures, Seed + (parser == "v1" ? 3 : 4),
            (_, body, choice) =>
            {
                foreach (var trace in parse(Encoding.UTF8.GetString(body)))
                {
                    Analyze(trace, choice);
                }

                return Task.CompletedTask;
            },
            e => e is TraceParseException);
    }

    [TestCase("project")]
    [TestCase("shared")]
    public void JaegerClient_MutatedResponses_TypedStatusAndAnalysesComplete(string corpus)
    {
        // GetServicesAsync documents an HttpRequestException for an answer that is not a service list.
        Fuzz($"JaegerClient ({corpus})", JaegerFixtures(corpus).Where(f => f.Shape.Length > 0).ToList(), Seed + 5, CallJaegerAsync,
            e => e is HttpRequestException);
    }

    [TestCaseSource(nameof(Readers))]
    public void ReportReader_MutatedFile_ResultOrInvalidDataException(string reader)
    {
        var (fixture, read) = ReportReader(reader);

        Fuzz(reader, [fixture], Seed + 10 + Array.IndexOf(Readers, reader), (_, body, _) =>
        {
            using var stream = new MemoryStream(body);
            read(stream);
            return Task.CompletedTask;
        }, e => e is InvalidDataException);
    }

    [Test]
    public void Http1ResponseParser_MutatedResponses_ResultOrHttpError()
    {
        // The load engine's own parser (issue 14): head and body fed in pieces of a seeded size, as a socket delivers them.
        Fuzz("Http1ResponseHead + ChunkedDecoder", Http1ResponseFixtures(), Seed + 30, (_, body, choice) =>
        {
            ParseHttp1Response(body, choice);
            return Task.CompletedTask;
        }, e => e is HttpRequestException or HttpIOException);
    }

    [Test]
    public async Task Http1Engine_MutatedResponsesOnTheWire_OneResultEachWithinTheTimeout()
    {
        // The same mutations written by a real server that then closes the connection: every request ends as one
        // result of a defined kind and a one-line message, never an exception or a hang.
        var wire = new WireAnswer();
        await using var server = wire.Start();
        using var client = new HttpLoadClient(new HttpLoadClientOptions(TimeoutSeconds: 2, MaxConnections: 2) { Engine = LoadEngine.Http1 }, TimeProvider.System);
        var spec = new RequestSpec("GET /x", "GET", new Uri(server.BaseUrl, "/x"));

        Fuzz("Http1Engine on the wire", Http1ResponseFixtures(), Seed + 31, async (_, body, _) =>
        {
            wire.Answer = body;
            (RequestResult result, string? kept) = await client.SendForBodyAsync(spec, CancellationToken.None, maxBodyBytes: 64);
            Require(Enum.IsDefined(result.Error), "the error kind is defined");
            Require(result.IsSuccess == (result.ErrorMessage is null), "a message comes with an error only");
            Require(result.ErrorMessage is null || (result.ErrorMessage.Length > 0 && !result.ErrorMessage.Contains('\n', StringComparison.Ordinal)),
                "the message is one line");
            Require(result.HasResponse == (result.TtfbMicros >= 0) && (kept is null) == (result.TtfbMicros < 0), "a response has its TTFB and body");
            Require(result.TotalMicros < 3_000_000, "within the 2 s timeout");
            Require(result.TraceId is not null && TraceParent.IsValidTraceId(result.TraceId), "the trace id is valid");
        }, isTyped: null);
        Assert.That(server.Faults, Is.Empty);
    }

    [Test]
    public async Task EventLoop_MutatedResponsesOnTheWire_TheEnginesOutcomeEach()
    {
        // The same mutations through the closed model's event loops (one request on one connection) and through the
        // async engine: the same status, error kind and message, body bytes and redirects for every one.
        if (!ClosedLoopRunner.Available)
        {
            Assert.Ignore("the event loops run on Linux x86-64 only");
        }

        var wire = new WireAnswer();
        await using var server = wire.Start();
        using var client = new HttpLoadClient(new HttpLoadClientOptions(TimeoutSeconds: 2, MaxConnections: 2) { Engine = LoadEngine.Http1 }, TimeProvider.System);
        var spec = new RequestSpec("GET /x", "GET", new Uri(server.BaseUrl, "/x"));

        Fuzz("event loops on the wire", Http1ResponseFixtures(), Seed + 37, async (_, body, _) =>
        {
            wire.Answer = body;
            RequestResult engine = await client.SendAsync(spec, CancellationToken.None);
            RequestResult loop = await EventLoopSend.SendAsync(client, spec, CancellationToken.None, eventLoop: true);
            Require((loop.StatusCode, loop.Error, loop.ErrorMessage, loop.Bytes, loop.Redirects) == (engine.StatusCode, engine.Error, engine.ErrorMessage, engine.Bytes, engine.Redirects),
                $"the engine's outcome: {engine.StatusCode} {engine.Error} '{engine.ErrorMessage}' {engine.Bytes} B, event loop: {loop.StatusCode} {loop.Error} '{loop.ErrorMessage}' {loop.Bytes} B");
            Require(loop.HasResponse == (loop.TtfbMicros >= 0), "a response has its TTFB");
            Require(loop.TotalMicros < 3_000_000, "within the 2 s timeout");
            Require(loop.TraceId is not null && TraceParent.IsValidTraceId(loop.TraceId), "the trace id is valid");
        }, isTyped: null);
        Assert.That(server.Faults, Is.Empty);
    }

    /// <summary>Feeds mutated inputs and fails, listing each distinct crash site once, when any gives something else than a
    /// result or a typed error (<paramref name="isTyped"/>, null where the parser has none) with a one-line message.</summary>
    /// <param name="feed">Parses (fixture, mutated body, a seeded number for further choices).</param>
    private static void Fuzz(string what, IReadOnlyList<Fixture> fixtures, int seed, Func<Fixture, byte[], int, Task> feed, Func<Exception, bool>? isTyped)
    {
        Assert.That(fixtures, Is.Not.Empty, $"{what}: no fixtures");
        var mutator = new Mutator(seed);
        var crashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        int results = 0, typed = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < InputsPerCase; i++)
        {
            var fixture = Pick(fixtures, mutator);
            var (body, steps) = mutator.Mutate(fixture.Bytes);
            var choice = mutator.Next(int.MaxValue);
            var work = Task.Run(() => feed(fixture, body, choice));
            Exception? error = null;
            try
            {
                if (!work.Wait(PerInputLimit))
                {
                    crashes.TryAdd("hang", Describe("no answer within " + PerInputLimit.TotalSeconds + " s", seed, i, fixture, steps, body));
                    continue;
                }
            }
            catch (AggregateException e)
            {
                error = e.InnerException ?? e;
            }

            if (error is null)
            {
                results++;
            }
            else if (isTyped?.Invoke(error) == true && !error.Message.Contains('\n', StringComparison.Ordinal))
            {
                typed++;
            }
            else
            {
                var message = error.Message.Length <= 300 ? error.Message : error.Message[..300] + "…";
                if (error.Data[RewiredKey] is string rewired)
                {
                    message += $" (analysing the parsed trace rewired: {rewired})";
                }

                crashes.TryAdd(CrashSite(error), Describe($"{error.GetType().Name}: {message}\n    at {CrashSite(error)}", seed, i, fixture, steps, body));
            }
        }

        TestContext.Out.WriteLine(
            $"{what}: {InputsPerCase} inputs from {fixtures.Count} fixture(s), seed {seed}: {results} results, {typed} typed errors, "
            + $"{crashes.Count} crash site(s), {clock.ElapsedMilliseconds} ms");
        if (crashes.Count > 0)
        {
            Assert.Fail($"{what}: {crashes.Count} crash site(s); the first input to reach each:\n" + string.Join("\n", crashes.Values));
        }

        // Mutations this destructive would leave the parse past the JSON reader untested; too gentle ones, the error path.
        Assert.That(results, Is.GreaterThan(InputsPerCase / 20), $"{what}: too few mutated inputs still parsed");
        if (isTyped is not null)
        {
            Assert.That(typed, Is.GreaterThan(InputsPerCase / 20), $"{what}: too few mutated inputs reached the typed error");
        }
    }

    private static Fixture Pick(IReadOnlyList<Fixture> fixtures, Mutator mutator)
    {
        // Large fixtures are mutated now and then only: parsing 600 kB thousands of times would cost seconds and find little more.
        var weights = fixtures.Select(f => f.Bytes.Length <= 32 * 1024 ? 100 : 1).ToList();
        var pick = mutator.Next(weights.Sum());
        for (var i = 0; i < fixtures.Count; i++)
        {
            pick -= weights[i];
            if (pick < 0)
            {
                return fixtures[i];
            }
        }

        return fixtures[^1];
    }

    private static async Task CallPrometheusAsync(Fixture fixture, byte[] body, int choice)
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(_ => Response(fixture.Status, fixture.ContentType, body));
        using var http = mock.ToHttpClient();
        var client = new PrometheusClient(http, new Uri("http://127.0.0.1:9090"));
        string[] shapes = ["query", "range", "names", "labels", "series", "metadata", "targets", "buildinfo"];
        // Mostly the call the answer was recorded for; now and then another, as a misrouted proxy would answer.
        var shape = choice % 5 == 0 ? shapes[choice / 5 % shapes.Length] : fixture.Shape;
        switch (shape)
        {
            case "query":
                CheckQueryResponse(await client.QueryAsync("up", SearchStart));
                break;
            case "range":
                CheckQueryResponse(await client.QueryRangeAsync("up", SearchStart, SearchStart.AddMinutes(5), TimeSpan.FromSeconds(15)));
                break;
            case "names":
                CheckStrings((await client.MetricNamesAsync()).Data);
                break;
            case "labels":
                CheckStrings((await client.LabelNamesAsync()).Data);
                break;
            case "series":
                var series = await client.SeriesAsync("{job=\"forum\"}");
                Require(series.Data.All(s => s.All(kv => kv.Key is not null && kv.Value is not null)), "series labels are not null");
                CheckStrings(series.Warnings);
                break;
            case "metadata":
                var metadata = await client.MetadataAsync();
                Require(metadata.Data.All(kv => kv.Value is not null), "metadata types are not null");
                break;
            case "targets":
                var targets = await client.TargetsAsync();
                Require(targets.Data.All(t => t.Job is not null && t.Instance is not null && t.ScrapeUrl is not null && t.Health is not null
                    && t.LastError is not null), "target fields are not null");
                break;
            default:
                var info = (await client.BuildInfoAsync()).Data;
                Require(info.Version is not null && info.Revision is not null && info.GoVersion is not null, "build info fields are not null");
                break;
        }
    }

    private static async Task CallJaegerAsync(Fixture fixture, byte[] body, int choice)
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(request =>
            // A v1 answer comes from a server without the v3 gateway: v3 paths get a Go mux's plain 404.
            fixture.Api == "v1" && request.RequestUri!.AbsolutePath.StartsWith("/api/v3/", StringComparison.Ordinal)
                ? Response(HttpStatusCode.NotFound, "text/plain", "404 page not found"u8.ToArray())
                : Response(fixture.Status, fixture.ContentType, body));
        using var http = mock.ToHttpClient();
        var client = new JaegerClient(http, new Uri("http://127.0.0.1:16686"));
        string[] shapes = ["trace", "search", "services"];
        var shape = choice % 5 == 0 ? shapes[choice / 5 % shapes.Length] : fixture.Shape;
        switch (shape)
        {
            case "trace":
                var fetched = await client.GetTraceAsync(TraceId, CancellationToken.None);
                CheckOutcome(fetched.Status, fetched.Message, fetched.Trace is null ? [] : [fetched.Trace]);
                if (fetched.Trace is { } trace)
                {
                    Analyze(trace, choice);
                }

                break;
            case "search":
                var found = await client.SearchTracesAsync("forum-api", SearchStart, SearchStart.AddMinutes(15), null, 20, CancellationToken.None);
                CheckOutcome(found.Status, found.Message, found.Traces);
                foreach (var t in found.Traces)
                {
                    Analyze(t, choice);
                }

                break;
            default:
                CheckStrings(await client.GetServicesAsync(CancellationToken.None));
                break;
        }
    }

    /// <summary>Everything the tools do with a parsed trace, on it and on a scrambled copy (cycles, self-parents, duplicate
    /// ids, negative and huge durations); a parsed trace has no typed error, so any exception is a crash.</summary>
    private static void Analyze(Trace trace, int choice)
    {
        AnalyzeOnce(trace, choice);
        var (rewired, steps) = new Mutator(choice).Rewire(trace);
        try
        {
            AnalyzeOnce(rewired, choice);
        }
        catch (Exception e)
        {
            e.Data[RewiredKey] = steps;
            throw;
        }
    }

    private static void AnalyzeOnce(Trace trace, int choice)
    {
        _ = trace.Root;
        _ = trace.DurationMicros;
        var breakdown = TraceBreakdown.Analyze(trace);
        Require(!double.IsNaN(breakdown.DbShare) && breakdown.DbShare is >= 0 and <= 1, "the DB share is within 0..1");
        _ = TraceBreakdownFormatter.Format(breakdown, "v1");
        if (trace.Spans.Count > 0)
        {
            var span = trace.Spans[choice % trace.Spans.Count];
            _ = TraceBreakdownFormatter.Format(TraceBreakdown.Analyze(trace, span.SpanId));
            _ = trace.Children(span.SpanId);
        }

        _ = RepeatedCallDetector.Find(trace);
        _ = CriticalPath.Compute(trace).ByOperation();
    }

    private static void CheckOutcome(TraceFetchStatus status, string message, IReadOnlyList<Trace> traces)
    {
        Require(Enum.IsDefined(status), "the status is a defined TraceFetchStatus");
        Require(message.Length > 0 && !message.Contains('\n', StringComparison.Ordinal), "the message is one line");
        Require(status == TraceFetchStatus.Found ? traces.Count > 0 : traces.Count == 0, "traces come with Found only");
    }

    private static void CheckQueryResponse(PrometheusResponse<PrometheusQueryResult> response)
    {
        Require(Enum.IsDefined(response.Data.ResultType), "the result type is defined");
        Require(response.Data.Series.All(s => s.Labels.All(kv => kv.Value is not null) && s.Samples is not null), "series are complete");
        // Callers print each warning as a line of their own.
        Require(response.Warnings.All(w => w is not null && !w.Contains('\n', StringComparison.Ordinal)), "warnings are one line each");
    }

    private static void CheckStrings(IReadOnlyList<string> strings) =>
        Require(strings.All(s => s is not null), "no null strings in a list");

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new BrokenContractException(what);
        }
    }

    /// <summary>Answers as servers send them: lengths, chunks with extensions and trailers, interim answers, redirects,
    /// a body until the close, the headers the engine reads.</summary>
    private static List<Fixture> Http1ResponseFixtures()
    {
        static Fixture Of(string name, string head, string body = "") =>
            new(name, Encoding.Latin1.GetBytes(head.Replace("{length}", Encoding.Latin1.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) + body),
                "http1", HttpStatusCode.OK, "", "");

        return
        [
            Of("json", "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {length}\r\n"
                + "X-Trace-ID: 4BF92F3577B34DA6A3CE929D0E0E4736\r\nServer-Timing: db;dur=2.1, total;dur=12.3;desc=\"a, b\"\r\n\r\n",
                "{\"id\":7,\"name\":\"b\"}"),
            Of("chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Response-Time-Ms: 3.5ms\r\n\r\n"
                + "7;ext=\"x;y\"\r\n{\"id\":7\r\nA\r\n,\"ok\":true\r\n1\r\n}\r\n0\r\nX-Trailer: done\r\n\r\n"),
            Of("interim", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nLocation: /boards/9\r\nContent-Length: {length}\r\n\r\n", "{\"id\":9}"),
            Of("redirect", "HTTP/1.1 302 Found\r\nLocation: /next?page=2\r\nContent-Length: {length}\r\n\r\n", "moved"),
            Of("until close", "HTTP/1.0 200 OK\r\nServer: old\r\n\r\n", "no length: read until the server closes"),
            Of("error", "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: {length}\r\n\r\n", "busy"),
            Of("no content", "HTTP/1.1 204 No Content\nX-Trace-ID: 0af7651916cd43dd8448eb211c80319c\nConnection: keep-alive\n\n"),
        ];
    }

    /// <summary>Parses a response as the engine reads it off a connection: the head from what has arrived so far (pieces
    /// of a size <paramref name="choice"/> picks), interim answers skipped, then the body by its framing.</summary>
    private static void ParseHttp1Response(byte[] wire, int choice)
    {
        int piece = 1 + (choice % 64);
        var head = new Http1ResponseHead();
        int arrived = 0, start = 0;
        while (true)
        {
            int consumed;
            while ((consumed = head.Parse(wire.AsSpan(start, arrived - start), requestWasHead: choice % 17 == 0)) == 0)
            {
                if (arrived == wire.Length)
                {
                    return; // ended before the head did: the engine's ResponseEnded
                }

                arrived = Math.Min(wire.Length, arrived + piece);
            }

            Require(consumed > 0 && consumed <= arrived - start, "the head is within what arrived");
            Require(head.StatusCode is >= 100 and <= 999, "the status has three digits");
            start += consumed;
            if (head.StatusCode is >= 200 or 101)
            {
                break;
            }
        }

        Require(head.Framing != BodyFraming.ContentLength || head.ContentLength >= 0, "a declared length is not negative");
        Require(head.TraceId is null || !head.TraceId.Contains('\n', StringComparison.Ordinal), "header values are one line");
        _ = ServerTiming.FromValues(head.ResponseTimeValues, head.ServerTimingValues);
        _ = head.Location is { } location && Uri.TryCreate(location, UriKind.RelativeOrAbsolute, out Uri? relative)
            && Uri.TryCreate(new Uri("http://127.0.0.1:8080/x"), relative, out _);
        if (head.Framing == BodyFraming.Chunked)
        {
            var decoder = new ChunkedDecoder();
            long data = 0;
            while (start < wire.Length && !decoder.IsDone)
            {
                arrived = Math.Max(arrived, Math.Min(wire.Length, start + piece));
                int used = decoder.Decode(wire.AsSpan(start, arrived - start), out int offset, out int length);
                Require(used > 0 && used <= arrived - start && offset + length <= used, "the data is within what was consumed");
                data += length;
                start += used;
            }

            Require(data <= wire.Length, "no more data than bytes");
        }
    }

    private static HttpResponseMessage Response(HttpStatusCode status, string contentType, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new HttpResponseMessage(status) { Content = content };
    }

    private static List<Fixture> PrometheusApiFixtures(string corpus)
    {
        if (corpus == "project")
        {
            var dir = Path.Combine(AppContext.BaseDirectory, "testdata", "prometheus");
            Fixture At(string name, string shape, HttpStatusCode status = HttpStatusCode.OK) =>
                Fixture.Of(Path.Combine(dir, name), shape, status, name.EndsWith(".html", StringComparison.Ordinal) ? "text/html" : "application/json");
            return
            [
                At("vector.json", "query"), At("scalar.json", "query"), At("warnings.json", "query"), At("matrix.json", "range"),
                At("names.json", "names"), At("names.json", "labels"), At("series.json", "series"), At("metadata.json", "metadata"),
                At("targets.json", "targets"), At("buildinfo.json", "buildinfo"),
                At("error_bad_data.json", "query", HttpStatusCode.BadRequest), At("error_execution.json", "query", HttpStatusCode.UnprocessableEntity),
                At("error_timeout.json", "query", HttpStatusCode.ServiceUnavailable), At("not_json.html", "query", HttpStatusCode.BadGateway),
            ];
        }

        // INDEX.json records each response's request path and status; the path says which call it answers.
        var api = Path.Combine(SharedOrIgnore("prometheus"), "api");
        var fixtures = new List<Fixture>();
        foreach (var entry in JArray.Parse(File.ReadAllText(Path.Combine(api, "INDEX.json"))).OfType<JObject>())
        {
            var path = (string?)entry["path"] ?? "";
            var shape = path switch
            {
                "/api/v1/query" => "query",
                "/api/v1/query_range" => "range",
                "/api/v1/label/__name__/values" => "names",
                "/api/v1/labels" => "labels",
                "/api/v1/series" => "series",
                "/api/v1/metadata" => "metadata",
                "/api/v1/targets" => "targets",
                "/api/v1/status/buildinfo" => "buildinfo",
                _ => "query",
            };
            fixtures.Add(Fixture.Of(Path.Combine(api, (string)entry["file"]!), shape, (HttpStatusCode)((int?)entry["http_status"] ?? 200),
                (string?)entry["content_type"] ?? "application/json"));
        }

        return fixtures;
    }

    /// <summary>Jaeger answers with the call each answers (empty Shape: a file no client call returns, for the parsers only) and its API.</summary>
    private static List<Fixture> JaegerFixtures(string corpus)
    {
        Fixture Json(string dir, string name, string shape, string api, HttpStatusCode status = HttpStatusCode.OK) =>
            Fixture.Of(Path.Combine(dir, name), shape, status,
                api == "v1" && status != HttpStatusCode.OK ? "text/plain" : "application/json", api); // v1 errors come as text/plain

        if (corpus == "project")
        {
            var dir = Path.Combine(AppContext.BaseDirectory, "testdata", "jaeger");
            return
            [
                Json(dir, "v1_nplus1_trace.json", "trace", "v1"), Json(dir, "v1_search.json", "search", "v1"),
                Json(dir, "v1_search_empty.json", "search", "v1"), Json(dir, "v1_error_404.json", "trace", "v1", HttpStatusCode.NotFound),
                Json(dir, "v3_trace.json", "trace", "v3"), Json(dir, "v3_search.json", "search", "v3"),
                Json(dir, "v3_error_404.json", "search", "v3", HttpStatusCode.NotFound), Json(dir, "v3_services.json", "services", "v3"),
            ];
        }

        var shared = SharedOrIgnore("jaeger");
        var v3 = Path.Combine(shared, "api_v3");
        return
        [
            Json(shared, "hotrod_14traces_api_traces_response.json", "search", "v1"),
            Json(shared, "hotrod_dispatch_trace_4376effce3c2d72d.json", "trace", "v1"),
            Json(shared, "jaeger_query_otlp2jaeger_out_envelope.json", "trace", "v1"),
            Json(shared, "jaeger_query_selftrace_envelope.json", "trace", "v1"),
            Json(shared, "jaeger_uimodel_ui_01.json", "trace", "v1"),
            Json(shared, "jaegerui_nplus1_jdbc_petclinic_trace.json", "trace", "v1"),
            Json(v3, "FindTraces.json", "search", "v3"), Json(v3, "GetTrace.json", "trace", "v3"), Json(v3, "GetServices.json", "services", "v3"),
            Json(v3, "GetOperations.json", "", "v3"), Json(v3, "FindTraceSummaries.json", "", "v3"),
        ];
    }

    private static (Fixture Fixture, Action<Stream> Read) ReportReader(string reader)
    {
        var golden = Path.Combine(AppContext.BaseDirectory, "testdata", "golden");
        Fixture Written(string name, Action<Stream> write)
        {
            using var stream = new MemoryStream();
            write(stream);
            return new Fixture(name, stream.ToArray(), "report", HttpStatusCode.OK, "", "");
        }

        return reader switch
        {
            "PerformanceDataJson" => (Fixture.Of(Path.Combine(golden, "performance_data.json"), "report"), s => PerformanceDataJson.Read(s)),
            "RequestsCsv" => (Fixture.Of(Path.Combine(golden, "performance_requests.csv"), "report"), s => RequestsCsv.Read(s)),
            "SummaryCsv" => (Fixture.Of(Path.Combine(golden, "performance_summary.csv"), "report"), s => SummaryCsv.Read(s)),
            "SimulationJson" => (Written("simulation.json", s => SimulationJson.Write(s, SimulationReportsTests.Sample(8))), s => SimulationJson.Read(s)),
            "SimulationCsv" => (Written("simulation.csv", s => SimulationCsv.Write(s, SimulationReportsTests.Sample().Seconds)), s => SimulationCsv.Read(s)),
            "FindingsJson" => (Written("findings.json", s => FindingsJson.Write(s, DetectorReportsTests.Sample())), s => FindingsJson.Read(s)),
            "FindingsCsv" => (Written("findings.csv", s => FindingsCsv.Write(s, DetectorReportsTests.Sample().Findings)), s => FindingsCsv.Read(s)),
            "ComparisonJson" => (Fixture.Of(Path.Combine(golden, "comparison.json"), "report"), s => ComparisonJson.Read(s)),
            "ComparisonCsv" => (Fixture.Of(Path.Combine(golden, "comparison.csv"), "report"), s => ComparisonCsv.Read(s)),
            "FindingChangesJson" => (Fixture.Of(Path.Combine(golden, "bottleneck_comparison.json"), "report"), s => FindingChangesJson.Read(s)),
            "FindingChangesCsv" => (Fixture.Of(Path.Combine(golden, "bottleneck_comparison.csv"), "report"), s => FindingChangesCsv.Read(s)),
            _ => throw new ArgumentOutOfRangeException(nameof(reader), reader, "no such report reader"),
        };
    }

    private static string SharedOrIgnore(string name)
    {
        return RepositoryRoot.RequireSharedFixtures(name, "the shared-fixture fuzz cases");
    }

    /// <summary>The first frame in product code (PerfTools.Shared), where a crash is fixed; the exception type keeps sites apart.</summary>
    private static string CrashSite(Exception e)
    {
        var frame = new StackTrace(e, fNeedFileInfo: false).GetFrames()
            .FirstOrDefault(f => f.GetMethod()?.DeclaringType?.FullName?.StartsWith("PerfTools.Shared", StringComparison.Ordinal) == true);
        var method = frame?.GetMethod();
        return $"{e.GetType().Name} in {method?.DeclaringType?.FullName}.{method?.Name}";
    }

    private static string Describe(string what, int seed, int iteration, Fixture fixture, string steps, byte[] body)
    {
        // The text around the first changed byte, escaped so it prints on one line.
        var first = 0;
        while (first < body.Length && first < fixture.Bytes.Length && body[first] == fixture.Bytes[first])
        {
            first++;
        }

        var from = Math.Max(0, first - 80);
        var window = body.Skip(from).Take(240).ToArray();
        var text = new StringBuilder();
        foreach (var c in Encoding.UTF8.GetString(window))
        {
            text.Append(c is < ' ' or '\u007f' or '\ufffd' ? $"\\x{(int)c:X2}" : c.ToString());
        }

        return $"  {what}\n    input #{iteration} of seed {seed}: {fixture.Name} with {steps}; {body.Length} bytes, from byte {from}: {text}";
    }

    /// <summary>A recorded input and what it answers: the API call (Shape), the HTTP status and media type it came with, the Jaeger API.</summary>
    private sealed record Fixture(string Name, byte[] Bytes, string Shape, HttpStatusCode Status, string ContentType, string Api)
    {
        public static Fixture Of(string path, string shape, HttpStatusCode status = HttpStatusCode.OK, string contentType = "application/json", string api = "") =>
            new(Path.GetFileName(path), File.ReadAllBytes(path), shape, status, contentType, api);
    }

    /// <summary>A result that breaks what its type promises (a null where none is allowed, a two-line message).</summary>
    private sealed class BrokenContractException(string what) : Exception("broken contract: " + what);

    /// <summary>A real server that writes whatever <see cref="Answer"/> holds to each request, then closes the connection.</summary>
    private sealed class WireAnswer
    {
        private byte[] _answer = [];

        public byte[] Answer
        {
            get => Volatile.Read(ref _answer);
            set => Volatile.Write(ref _answer, value);
        }

        public LoopbackServer Start() => LoopbackServer.Start(async ctx =>
        {
            await ctx.WriteAsync(Answer);
            ctx.Close();
        });
    }
}
