using PerfTools.Shared.Tracing;

namespace PerfTools.Tests.Tracing;

/// <summary>Real Jaeger responses from ../shared/fixtures/jaeger (beside the repository, never copied into it).</summary>
public class JaegerFixtureConformanceTests
{
    private string _dir = "";

    [SetUp]
    public void FindFixtures()
    {
        _dir = Fakes.RepositoryRoot.RequireSharedFixtures("jaeger", "conformance tests");
    }

    private string Read(string name) => File.ReadAllText(Path.Combine(_dir, name));

    [TestCase("jaeger_uimodel_ui_01.json", 1, 5)]
    [TestCase("jaeger_query_selftrace_envelope.json", 1, 2)]
    [TestCase("jaeger_query_otlp2jaeger_out_envelope.json", 1, 2)]
    [TestCase("hotrod_14traces_api_traces_response.json", 14, 379)]
    [TestCase("hotrod_dispatch_trace_4376effce3c2d72d.json", 1, 51)]
    [TestCase("jaegerui_nplus1_jdbc_petclinic_trace.json", 1, 17)]
    public void V1Parse_EveryFixture_TraceAndSpanCounts(string file, int traces, int spans)
    {
        var parsed = JaegerV1Parser.Parse(Read(file));

        Assert.Multiple(() =>
        {
            Assert.That(parsed, Has.Count.EqualTo(traces));
            Assert.That(parsed.Sum(t => t.Spans.Count), Is.EqualTo(spans));
            Assert.That(parsed.SelectMany(t => t.Spans).Select(s => s.TraceId), Has.All.Length.EqualTo(32));
        });
    }

    [Test]
    public void V1Parse_UiModel_TypedTagsAndParents()
    {
        var trace = JaegerV1Parser.Parse(Read("jaeger_uimodel_ui_01.json")).Single();
        var tagged = trace.Spans[1];

        Assert.Multiple(() =>
        {
            Assert.That(tagged.Service, Is.EqualTo("service-x"));
            Assert.That(tagged.HasError, Is.True);
            Assert.That(tagged.Tags["temperature"], Is.EqualTo("72.5"));
            Assert.That(tagged.Tags["javascript_limit"], Is.EqualTo("9223372036854775222"));
            Assert.That(tagged.Tags["blob"], Is.EqualTo("AAAwOQ=="));
            Assert.That(trace.Spans[3].ParentSpanId, Is.EqualTo("0000000000000002"), "CHILD_OF in the same trace wins");
        });
    }

    [Test]
    public void Analyze_HotrodDispatch_FindsMysqlSelect()
    {
        var trace = JaegerV1Parser.Parse(Read("hotrod_dispatch_trace_4376effce3c2d72d.json")).Single();

        var breakdown = TraceBreakdown.Analyze(trace);

        Assert.Multiple(() =>
        {
            Assert.That(trace.TraceId, Is.EqualTo("00000000000000004376effce3c2d72d"));
            Assert.That(trace.Spans.Select(s => s.Service).Distinct().Count(), Is.EqualTo(6));
            Assert.That(breakdown.RootOperation, Is.EqualTo("HTTP GET /dispatch"));
            Assert.That(breakdown.TotalMs, Is.EqualTo(786.778).Within(0.001));
            Assert.That(breakdown.DbVerbs, Is.EqualTo(new[] { new DbVerbStat("SELECT", 1) }));
            Assert.That(breakdown.DbMs, Is.EqualTo(388.307).Within(0.001));
            Assert.That(breakdown.DbShare, Is.EqualTo(388.307 / 786.778).Within(1e-6));
            Assert.That(breakdown.Operations.Single(o => o.Service == "mysql" && o.Operation == "SQL SELECT").Count, Is.EqualTo(1));
            Assert.That(trace.Spans.Count(s => s.Operation == "GetDriver" && s.HasError), Is.EqualTo(3));
        });
    }

    [Test]
    public void Analyze_PetclinicJdbc_HintsNPlusOne()
    {
        var trace = JaegerV1Parser.Parse(Read("jaegerui_nplus1_jdbc_petclinic_trace.json")).Single();

        var breakdown = TraceBreakdown.Analyze(trace);

        Assert.Multiple(() =>
        {
            Assert.That(breakdown.DbSpanCount, Is.EqualTo(14));
            Assert.That(breakdown.NPlusOneHints, Has.Count.EqualTo(1));
            Assert.That(breakdown.NPlusOneHints[0].Fingerprint, Is.EqualTo("select * from test"));
            Assert.That(breakdown.NPlusOneHints[0].Count, Is.EqualTo(13));
            Assert.That(breakdown.NPlusOneHints[0].ParentOperation, Is.EqualTo("GET /owners"));
        });
    }

    [TestCase("api_v3/GetTrace.json")]
    [TestCase("api_v3/FindTraces.json")]
    public void OtlpParse_V3Golden_OneErrorServerSpan(string file)
    {
        var span = OtlpJsonParser.Parse(Read(file)).Single().Spans.Single();

        Assert.Multiple(() =>
        {
            Assert.That(span.TraceId, Is.EqualTo("00000000000000000000000000000001"));
            Assert.That(span.SpanId, Is.EqualTo("0000000000000002"));
            Assert.That(span.Operation, Is.EqualTo("foobar"));
            Assert.That(span.Kind, Is.EqualTo("server"));
            Assert.That(span.HasError, Is.True);
        });
    }

    [Test]
    public void Format_RealTraces_PrintsForReview()
    {
        foreach (var file in new[] { "hotrod_dispatch_trace_4376effce3c2d72d.json", "jaegerui_nplus1_jdbc_petclinic_trace.json" })
        {
            var lines = TraceBreakdownFormatter.Format(TraceBreakdown.Analyze(JaegerV1Parser.Parse(Read(file)).Single()), "v1");
            TestContext.Out.WriteLine(string.Join('\n', lines));
            Assert.That(lines, Has.Count.GreaterThanOrEqualTo(3));
        }
    }
}
