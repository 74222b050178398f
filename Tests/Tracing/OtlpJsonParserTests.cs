using PerfTools.Shared.Tracing;

namespace PerfTools.Tests.Tracing;

public class OtlpJsonParserTests
{
    [Test]
    public void Parse_V3Result_ReadsServiceKindStatusAttributesAndMicros()
    {
        var trace = OtlpJsonParser.Parse(TracingTestData.Read("v3_trace.json")).Single();

        var root = trace.Root!;
        var child = trace.Children(root.SpanId).Single();
        Assert.Multiple(() =>
        {
            Assert.That(trace.TraceId, Is.EqualTo("4bf92f3577b34da6a3ce929d0e0e4736"));
            Assert.That(root.Service, Is.EqualTo("forum-api"));
            Assert.That(root.Kind, Is.EqualTo("server"));
            Assert.That(root.HasError, Is.True);
            Assert.That(root.StartMicros, Is.EqualTo(1700000000000000L));
            Assert.That(root.DurationMicros, Is.EqualTo(20000));
            Assert.That(root.Tags["http.response.status_code"], Is.EqualTo("500"));
            Assert.That(child.Kind, Is.EqualTo("client"));
            Assert.That(child.HasError, Is.False);
            Assert.That(child.DurationMicros, Is.EqualTo(3500));
            Assert.That(child.Tags["db.cached"], Is.EqualTo("false"));
            Assert.That(child.Tags["db.ratio"], Is.EqualTo("0.25"));
        });
    }

    [Test]
    public void Parse_Base64Ids_ConvertsToHex()
    {
        // protobuf-JSON proper encodes bytes as base64; the Jaeger gateway uses hex.
        const string json = """
            {"resourceSpans":[{"resource":{},"scopeSpans":[{"spans":[
              {"traceId":"S/kvNXezTaajzpKdDg5HNg==","spanId":"APBnqgupArc=","name":"x","kind":1}]}]}]}
            """;

        var span = OtlpJsonParser.Parse(json).Single().Spans.Single();

        Assert.Multiple(() =>
        {
            Assert.That(span.TraceId, Is.EqualTo("4bf92f3577b34da6a3ce929d0e0e4736"));
            Assert.That(span.SpanId, Is.EqualTo("00f067aa0ba902b7"));
            Assert.That(span.Kind, Is.EqualTo("internal"));
            Assert.That(span.Service, Is.EqualTo(OtlpJsonParser.UnknownService));
        });
    }

    [Test]
    public void Parse_V3ErrorBody_ThrowsWithJaegersMessage()
    {
        var ex = Assert.Throws<TraceParseException>(() => OtlpJsonParser.Parse(TracingTestData.Read("v3_error_404.json")));

        Assert.That(ex!.Message, Is.EqualTo("Jaeger v3 error 404: No traces found"));
    }

    [TestCase("{}")]
    [TestCase("{\"result\":{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"01\",\"spanId\":\"02\",\"startTimeUnixNano\":\"x\"}]}]}]}}")]
    [TestCase("<html></html>")]
    public void Parse_BadInput_ThrowsTraceParseException(string json)
    {
        Assert.Throws<TraceParseException>(() => OtlpJsonParser.Parse(json));
    }

    [Test]
    public void TryParse_ErrorBodies_RecogniseBothApis()
    {
        Assert.Multiple(() =>
        {
            Assert.That(JaegerErrorBody.TryParse(TracingTestData.Read("v1_error_404.json"), out var v1), Is.True);
            Assert.That(v1, Is.EqualTo(new JaegerError(404, "trace not found", "v1")));
            Assert.That(JaegerErrorBody.TryParse(TracingTestData.Read("v3_error_404.json"), out var v3), Is.True);
            Assert.That(v3, Is.EqualTo(new JaegerError(404, "No traces found", "v3")));
            Assert.That(JaegerErrorBody.TryParse("404 page not found", out _), Is.False);
        });
    }

    [Test]
    public void Parse_ResourceStatusAndAnyValuesNotObjects_ReadAsAbsent()
    {
        // Regression (parser fuzz): "resource", "status", "arrayValue" or "kvlistValue" as a string or number threw
        // InvalidOperationException out of the parser.
        const string json = """
            {"resourceSpans":[{"resource":"forum-api","scopeSpans":[{"spans":[{"traceId":"01","spanId":"02","status":"ERROR",
              "attributes":[{"key":"a","value":{"arrayValue":"x"}},{"key":"m","value":{"kvlistValue":7}}]}]}]}]}
            """;

        var span = OtlpJsonParser.Parse(json).Single().Spans.Single();

        Assert.Multiple(() =>
        {
            Assert.That(span.Service, Is.EqualTo(OtlpJsonParser.UnknownService));
            Assert.That(span.HasError, Is.False);
            Assert.That(span.Tags["a"], Is.Empty);
            Assert.That(span.Tags["m"], Is.Empty);
        });
    }

    [TestCase("{\"errors\":[{\"code\":[],\"msg\":{}}]}", 0, "", "v1")]
    [TestCase("{\"errors\":[{\"code\":99999999999,\"msg\":\"big\"}]}", 0, "big", "v1")]
    [TestCase("{\"error\":{\"httpCode\":[404],\"message\":null}}", 0, "", "v3")]
    public void TryParse_ErrorBodyFieldsOfOtherTypes_RecognisedWithDefaults(string body, int code, string message, string api)
    {
        // Regression (parser fuzz): a "msg" that was an array or object threw ArgumentException out of TryParse ("never throws").
        Assert.Multiple(() =>
        {
            Assert.That(JaegerErrorBody.TryParse(body, out var error), Is.True);
            Assert.That(error, Is.EqualTo(new JaegerError(code, message, api)));
        });
    }
}
