using PerfTools.Shared.Tracing;

namespace PerfTools.Tests.Tracing;

public class JaegerV1ParserTests
{
    [Test]
    public void Parse_Envelope_ReadsSpansServicesAndTimes()
    {
        var traces = JaegerV1Parser.Parse(TracingTestData.Read("v1_nplus1_trace.json"));

        Assert.That(traces, Has.Count.EqualTo(1));
        var trace = traces[0];
        Assert.That(trace.TraceId, Is.EqualTo("4bf92f3577b34da6a3ce929d0e0e4736"));
        Assert.That(trace.Spans, Has.Count.EqualTo(8));
        var root = trace.Root!;
        Assert.Multiple(() =>
        {
            Assert.That(root.Operation, Is.EqualTo("GET /boards/{id}/posts"));
            Assert.That(root.Service, Is.EqualTo("forum-api"));
            Assert.That(root.Kind, Is.EqualTo("server"));
            Assert.That(root.ParentSpanId, Is.Null);
            Assert.That(root.StartMicros, Is.EqualTo(1700000000000000L));
            Assert.That(root.DurationMicros, Is.EqualTo(100000));
            Assert.That(root.Tags["http.status_code"], Is.EqualTo("200"));
            Assert.That(root.HasError, Is.False);
            Assert.That(trace.Children(root.SpanId), Has.Count.EqualTo(7));
            Assert.That(trace.DurationMicros, Is.EqualTo(100000));
        });
    }

    [Test]
    [SetCulture("de-DE")]
    public void Parse_FloatTag_UsesInvariantCulture()
    {
        var trace = JaegerV1Parser.Parse(TracingTestData.Read("v1_nplus1_trace.json"))[0];

        Assert.That(trace.Spans.First(s => s.Tags.ContainsKey("db.rows")).Tags["db.rows"], Is.EqualTo("1.5"));
    }

    [Test]
    public void Parse_BareTraceObjectWith64BitIds_PadsIdsAndResolvesParents()
    {
        const string json = """
            {"traceID":"ABC","spans":[
              {"traceID":"abc","spanID":"1","operationName":"root","references":[],"startTime":10,"duration":5,"tags":[{"key":"error","type":"bool","value":true}],"processID":"p1"},
              {"traceID":"abc","spanID":"2","operationName":"late","references":[{"refType":"FOLLOWS_FROM","traceID":"abc","spanID":"1"}],"startTime":12,"duration":1,"tags":[],"processID":"p1"}],
             "processes":{"p1":{"serviceName":"svc"}}}
            """;

        var trace = JaegerV1Parser.Parse(json).Single();

        Assert.Multiple(() =>
        {
            Assert.That(trace.TraceId, Is.EqualTo("00000000000000000000000000000abc"));
            Assert.That(trace.Spans[0].SpanId, Is.EqualTo("0000000000000001"));
            Assert.That(trace.Spans[0].HasError, Is.True);
            Assert.That(trace.Spans[1].ParentSpanId, Is.EqualTo("0000000000000001"), "FOLLOWS_FROM counts when there is no CHILD_OF");
        });
    }

    [TestCase("")]
    [TestCase("not json")]
    [TestCase("[1,2]")]
    [TestCase("{\"foo\":1}")]
    [TestCase("{\"data\":[{\"spans\":[{\"traceID\":\"xyz!\",\"spanID\":\"1\"}]}]}")]
    [TestCase("{\"data\":[{\"spans\":[{\"traceID\":\"01\",\"spanID\":\"1\",\"startTime\":\"soon\"}]}]}")]
    public void Parse_BadInput_ThrowsTraceParseExceptionWithOneLine(string json)
    {
        var ex = Assert.Throws<TraceParseException>(() => JaegerV1Parser.Parse(json));

        Assert.That(ex!.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void Parse_V1ErrorBody_ThrowsWithJaegersMessage()
    {
        var ex = Assert.Throws<TraceParseException>(() => JaegerV1Parser.Parse(TracingTestData.Read("v1_error_404.json")));

        Assert.That(ex!.Message, Is.EqualTo("Jaeger v1 error 404: trace not found"));
    }

    [TestCase("\"p1\"")]
    [TestCase("[\"forum-api\"]")]
    [TestCase("42")]
    public void Parse_ProcessNotAnObject_UnknownServiceNotACrash(string process)
    {
        // Regression (parser fuzz): a process entry that is not an object threw InvalidOperationException out of the parser.
        var json = $"{{\"data\":[{{\"traceID\":\"01\",\"processes\":{{\"p1\":{process}}},"
            + $"\"spans\":[{{\"spanID\":\"02\",\"processID\":\"p1\"}},{{\"spanID\":\"03\",\"process\":{process}}}]}}]}}";

        var spans = JaegerV1Parser.Parse(json).Single().Spans;

        Assert.That(spans.Select(s => s.Service), Is.All.EqualTo(OtlpJsonParser.UnknownService));
    }

    [Test]
    public void Parse_ErrorBodyWithLineBreaksAndOddTypes_OneLineTraceParseException()
    {
        // Regression (parser fuzz): a "msg" that is not a string threw ArgumentException; one with line breaks gave a two-line error.
        var oddTypes = Assert.Throws<TraceParseException>(() => JaegerV1Parser.Parse("{\"data\":null,\"errors\":[{\"code\":\"x\",\"msg\":[1]}]}"));
        var lineBreaks = Assert.Throws<TraceParseException>(() => JaegerV1Parser.Parse("{\"data\":null,\"errors\":[{\"code\":500,\"msg\":\"a\\nb\"}]}"));

        Assert.Multiple(() =>
        {
            Assert.That(oddTypes!.Message, Is.EqualTo("Jaeger v1 error 0: "));
            Assert.That(lineBreaks!.Message, Is.EqualTo("Jaeger v1 error 500: a b"));
        });
    }
}
