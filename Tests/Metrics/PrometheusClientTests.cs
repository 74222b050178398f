using System.Globalization;
using System.Net;
using PerfTools.Shared.Metrics;
using RichardSzalay.MockHttp;

namespace PerfTools.Tests.Metrics;

public class PrometheusClientTests
{
    private static readonly Uri Base = new("http://prometheus.test:9090");

    private static PrometheusClient Client(MockHttpMessageHandler mock, string? token = null) =>
        new(mock.ToHttpClient(), Base, token);

    [Test]
    public async Task QueryAsync_Vector_ParsesLabelsValuesAndNaN()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://prometheus.test:9090/api/v1/query")
            .WithQueryString("query", "up")
            .WithQueryString("time", "1795000000")
            .Respond("application/json", PrometheusTestData.Read("vector.json"));

        var response = await Client(mock).QueryAsync("up", DateTimeOffset.FromUnixTimeSeconds(1795000000));

        Assert.That(response.Data.ResultType, Is.EqualTo(PrometheusResultType.Vector));
        Assert.That(response.Data.Series, Has.Count.EqualTo(2));
        Assert.That(response.Data.Series[0].Label("endpoint"), Is.EqualTo("/boards/{id}/posts"));
        Assert.That(response.Data.Series[0].Value, Is.EqualTo(0.72));
        Assert.That(response.Data.Series[1].Value, Is.NaN);
        Assert.That(response.Warnings, Is.Empty);
    }

    [Test]
    public async Task QueryRangeAsync_Matrix_ParsesEverySample()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://prometheus.test:9090/api/v1/query_range")
            .WithQueryString("start", "1795000000")
            .WithQueryString("end", "1795000030")
            .WithQueryString("step", "15")
            .Respond("application/json", PrometheusTestData.Read("matrix.json"));

        var response = await Client(mock).QueryRangeAsync(
            "process_working_set_bytes",
            DateTimeOffset.FromUnixTimeSeconds(1795000000),
            DateTimeOffset.FromUnixTimeSeconds(1795000030),
            TimeSpan.FromSeconds(15));

        Assert.That(response.Data.ResultType, Is.EqualTo(PrometheusResultType.Matrix));
        var samples = response.Data.Series.Single().Samples;
        Assert.That(samples.Select(s => s.TimeUnixSeconds), Is.EqualTo(new[] { 1795000000.0, 1795000015.0, 1795000030.0 }));
        Assert.That(samples[^1].Value, Is.EqualTo(101000000.0));
    }

    [Test]
    public async Task QueryAsync_Scalar_IsOneSeriesWithoutLabels()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("*/api/v1/query").Respond("application/json", PrometheusTestData.Read("scalar.json"));

        var response = await Client(mock).QueryAsync("scalar(vector(1)) * Inf");

        Assert.That(response.Data.ResultType, Is.EqualTo(PrometheusResultType.Scalar));
        Assert.That(response.Data.Series.Single().Labels, Is.Empty);
        Assert.That(response.Data.Series.Single().Value, Is.EqualTo(double.PositiveInfinity));
        Assert.That(response.Data.Series.Single().Samples[0].TimeUnixSeconds, Is.EqualTo(1795000000.5));
    }

    [Test]
    public async Task QueryAsync_Warnings_AreReturnedWithTheData()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("*/api/v1/query").Respond("application/json", PrometheusTestData.Read("warnings.json"));

        var response = await Client(mock).QueryAsync("up");

        Assert.That(response.Warnings, Is.EqualTo(new[] { "partial result: store unavailable" }));
        Assert.That(response.Data.Series, Is.Empty);
    }

    [TestCase("error_bad_data.json", HttpStatusCode.BadRequest, PrometheusErrorKind.BadData, "bad_data")]
    [TestCase("error_execution.json", HttpStatusCode.UnprocessableEntity, PrometheusErrorKind.Execution, "execution")]
    public void QueryAsync_ClientError_ThrowsTypedErrorWithoutRetry(string file, HttpStatusCode status, PrometheusErrorKind kind, string errorType)
    {
        using var mock = new MockHttpMessageHandler();
        var request = mock.When("*/api/v1/query").Respond(status, "application/json", PrometheusTestData.Read(file));

        var e = Assert.ThrowsAsync<PrometheusException>(() => Client(mock).QueryAsync("sum(rate(x[5m]"));

        Assert.That(e.Kind, Is.EqualTo(kind));
        Assert.That(e.Status, Is.EqualTo(status));
        Assert.That(e.ErrorType, Is.EqualTo(errorType));
        Assert.That(e.Message, Does.Contain(errorType));
        Assert.That(mock.GetMatchCount(request), Is.EqualTo(1), "a 4xx is never retried");
    }

    [Test]
    public void QueryAsync_Timeout503_IsRetriedOnceThenThrown()
    {
        using var mock = new MockHttpMessageHandler();
        var request = mock.When("*/api/v1/query")
            .Respond(HttpStatusCode.ServiceUnavailable, "application/json", PrometheusTestData.Read("error_timeout.json"));

        var e = Assert.ThrowsAsync<PrometheusException>(() => Client(mock).QueryAsync("up"));

        Assert.That(e.Kind, Is.EqualTo(PrometheusErrorKind.Timeout));
        Assert.That(e.ErrorType, Is.EqualTo("timeout"));
        Assert.That(mock.GetMatchCount(request), Is.EqualTo(2));
    }

    [Test]
    public async Task QueryAsync_503ThenSuccess_ReturnsTheSecondAnswer()
    {
        using var mock = new MockHttpMessageHandler();
        mock.Expect("*/api/v1/query").Respond(HttpStatusCode.ServiceUnavailable, "text/plain", "Service Unavailable");
        mock.Expect("*/api/v1/query").Respond("application/json", PrometheusTestData.Read("vector.json"));

        var response = await Client(mock).QueryAsync("up");

        Assert.That(response.Data.Series, Has.Count.EqualTo(2));
        mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public void QueryAsync_NonJsonBody_ThrowsInvalidResponseWithExcerpt()
    {
        using var mock = new MockHttpMessageHandler();
        var request = mock.When("*/api/v1/query").Respond(HttpStatusCode.BadGateway, "text/html", PrometheusTestData.Read("not_json.html"));

        var e = Assert.ThrowsAsync<PrometheusException>(() => Client(mock).QueryAsync("up"));

        Assert.That(e.Kind, Is.EqualTo(PrometheusErrorKind.InvalidResponse));
        Assert.That(e.Status, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(e.Message, Does.Contain("502 Bad Gateway"));
        Assert.That(mock.GetMatchCount(request), Is.EqualTo(1));
    }

    [Test]
    public void QueryAsync_NonJson200_ThrowsInvalidResponse()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("*/api/v1/query").Respond("text/html", "<html>login</html>");

        var e = Assert.ThrowsAsync<PrometheusException>(() => Client(mock).QueryAsync("up"));

        Assert.That(e.Kind, Is.EqualTo(PrometheusErrorKind.InvalidResponse));
    }

    [Test]
    public void QueryAsync_ConnectionRefused_IsRetriedOnceThenThrown()
    {
        using var mock = new MockHttpMessageHandler();
        var request = mock.When("*/api/v1/query").Throw(new HttpRequestException("Connection refused (prometheus.test:9090)"));

        var e = Assert.ThrowsAsync<PrometheusException>(() => Client(mock).QueryAsync("up"));

        Assert.That(e.Kind, Is.EqualTo(PrometheusErrorKind.Connection));
        Assert.That(e.Status, Is.Null);
        Assert.That(e.Message, Does.Contain("Connection refused"));
        Assert.That(mock.GetMatchCount(request), Is.EqualTo(2));
    }

    [Test]
    public async Task QueryAsync_WithToken_SendsBearerHeader()
    {
        using var mock = new MockHttpMessageHandler();
        var request = mock.When("*/api/v1/query")
            .WithHeaders("Authorization", "Bearer s3cret")
            .Respond("application/json", PrometheusTestData.Read("vector.json"));

        await Client(mock, "s3cret").QueryAsync("up");

        Assert.That(mock.GetMatchCount(request), Is.EqualTo(1));
    }

    [Test]
    public async Task QueryAsync_WithoutToken_SendsNoAuthorization()
    {
        using var mock = new MockHttpMessageHandler();
        string? seen = "unset";
        mock.When("*/api/v1/query").Respond(req =>
        {
            seen = req.Headers.Authorization?.ToString();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(PrometheusTestData.Read("vector.json")) };
        });

        await Client(mock, "  ").QueryAsync("up");

        Assert.That(seen, Is.Null);
    }

    [Test]
    public async Task MetricNamesAsync_ReturnsNames()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://prometheus.test:9090/api/v1/label/__name__/values").Respond("application/json", PrometheusTestData.Read("names.json"));

        var response = await Client(mock).MetricNamesAsync();

        Assert.That(response.Data, Does.Contain("forum_db_queries_total").And.Count.EqualTo(5));
    }

    [Test]
    public async Task LabelNamesAsync_WithMatch_SendsMatchAndRange_ReturnsNames()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://prometheus.test:9090/api/v1/labels")
            .WithExactQueryString([new("match[]", "http_server_request_duration_seconds_bucket{job=\"shop\"}"), new("start", "1794999700"), new("end", "1795000000")])
            .Respond("application/json", """{"status":"success","data":["__name__","http_route","job","le"]}""");

        var response = await Client(mock).LabelNamesAsync(
            DateTimeOffset.FromUnixTimeSeconds(1794999700), DateTimeOffset.FromUnixTimeSeconds(1795000000), "http_server_request_duration_seconds_bucket{job=\"shop\"}");

        Assert.That(response.Data, Is.EqualTo(new[] { "__name__", "http_route", "job", "le" }));
    }

    [Test]
    public async Task LabelValuesAsync_SendsLabelInThePathWithMatch_ReturnsValues()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://prometheus.test:9090/api/v1/label/le/values")
            .WithExactQueryString([new("match[]", "http_request_duration_seconds_bucket"), new("start", "1794999700"), new("end", "1795000000")])
            .Respond("application/json", """{"status":"success","data":["+Inf","0.1","1"]}""");

        var response = await Client(mock).LabelValuesAsync(
            "le", DateTimeOffset.FromUnixTimeSeconds(1794999700), DateTimeOffset.FromUnixTimeSeconds(1795000000), "http_request_duration_seconds_bucket");

        Assert.That(response.Data, Is.EqualTo(new[] { "+Inf", "0.1", "1" }));
    }

    [Test]
    public async Task SeriesAsync_SendsMatchAndLimit_ReturnsLabelSets()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://prometheus.test:9090/api/v1/series")
            .WithQueryString("match[]", "http_request_duration_seconds_count")
            .WithQueryString("limit", "100")
            .Respond("application/json", PrometheusTestData.Read("series.json"));

        var response = await Client(mock).SeriesAsync("http_request_duration_seconds_count", limit: 100);

        Assert.That(response.Data, Has.Count.EqualTo(2));
        Assert.That(response.Data[1]["endpoint"], Is.EqualTo("/posts/{id}"));
    }

    [Test]
    public async Task MetadataAsync_ReturnsTypeByFamily()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://prometheus.test:9090/api/v1/metadata").Respond("application/json", PrometheusTestData.Read("metadata.json"));

        var response = await Client(mock).MetadataAsync();

        Assert.That(response.Data["http_request_duration_seconds"], Is.EqualTo("histogram"));
        Assert.That(response.Data["forum_db_queries"], Is.EqualTo("counter"));
    }

    [Test]
    public async Task TargetsAsync_ReturnsActiveTargets()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://prometheus.test:9090/api/v1/targets").Respond("application/json", PrometheusTestData.Read("targets.json"));

        var response = await Client(mock).TargetsAsync();

        Assert.That(response.Data.Single(), Is.EqualTo(new PrometheusTarget("forum", "localhost:5000", "http://localhost:5000/metrics", "up", "")));
    }

    [Test]
    public async Task BuildInfoAsync_ReturnsVersion()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://prometheus.test:9090/api/v1/status/buildinfo").Respond("application/json", PrometheusTestData.Read("buildinfo.json"));

        var response = await Client(mock).BuildInfoAsync();

        Assert.That(response.Data, Is.EqualTo(new PrometheusBuildInfo("2.53.0", "abc123", "go1.22.4")));
    }

    // Regressions found by the parser fuzz (Tests/Hardening/ParserFuzzTests): each body below made the client throw
    // InvalidOperationException, ArgumentException or FormatException from Newtonsoft or double.Parse instead of a PrometheusException.
    [TestCase("""{"status":"success","data":123}""")]
    [TestCase("""{"status":"success","data":["vector"]}""")]
    [TestCase("""{"status":"success","data":{"resultType":[1],"result":[]}}""")]
    [TestCase("""{"status":"success","data":{"resultType":"matr\nix","result":[]}}""")]
    [TestCase("""{"status":"success","data":{"resultType":"scalar","result":[null,"1"]}}""")]
    [TestCase("""{"status":"success","data":{"resultType":"scalar","result":[1795000000,"+Inf\u0000"]}}""")]
    [TestCase("""{"status":"success","data":{"resultType":"scalar","result":[1795000000,{}]}}""")]
    [TestCase("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1795000000,"1,5"]}]}}""")]
    public void QueryAsync_MalformedQueryData_ThrowsInvalidResponseOnOneLine(string body)
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("*/api/v1/query").Respond("application/json", body);

        var e = Assert.ThrowsAsync<PrometheusException>(() => Client(mock).QueryAsync("up"));

        Assert.That(e.Kind, Is.EqualTo(PrometheusErrorKind.InvalidResponse));
        Assert.That(e.Message, Does.Not.Contain("\n"));
    }

    [TestCase("""{"status":"error","errorType":"timeout","error":{"detail":1}}""", PrometheusErrorKind.Timeout, "timeout: (no error message)")]
    [TestCase("""{"status":"error","errorType":7,"error":"parse error:\n1:10: unclosed"}""", PrometheusErrorKind.Other, ": parse error: 1:10: unclosed")]
    public void QueryAsync_ErrorFieldsOfOtherTypesOrMultiLine_TypedErrorOnOneLine(string body, PrometheusErrorKind kind, string ending)
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("*/api/v1/query").Respond(HttpStatusCode.BadRequest, "application/json", body);

        var e = Assert.ThrowsAsync<PrometheusException>(() => Client(mock).QueryAsync("up"));

        Assert.That(e.Kind, Is.EqualTo(kind));
        Assert.That(e.Message, Does.EndWith(ending));
    }

    [Test]
    public async Task QueryAsync_WarningsNotStrings_KeptAsOneLineText()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("*/api/v1/query").Respond("application/json",
            """{"status":"success","data":{"resultType":"vector","result":[]},"warnings":[["nested"],"two\nlines",3]}""");

        var response = await Client(mock).QueryAsync("up");

        Assert.That(response.Warnings, Is.EqualTo(new[] { "[\"nested\"]", "two lines", "3" }));
    }

    [Test]
    public async Task NamesSeriesAndMetadata_ValuesNotStrings_LeftOutLikeMissingOnes()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("*/api/v1/labels").Respond("application/json", """{"status":"success","data":["job",["x"],{"y":1},5,null]}""");
        mock.When("*/api/v1/series").Respond("application/json", """{"status":"success","data":[{"__name__":"up","job":{},"le":["1"]}]}""");
        mock.When("*/api/v1/metadata").Respond("application/json",
            """{"status":"success","data":{"up":[{"type":["gauge"]}],"requests_total":[{"type":"counter"}],"odd":"counter"}}""");
        var client = Client(mock);

        var labels = await client.LabelNamesAsync();
        var series = await client.SeriesAsync("up");
        var metadata = await client.MetadataAsync();

        Assert.Multiple(() =>
        {
            Assert.That(labels.Data, Is.EqualTo(new[] { "job" }));
            Assert.That(series.Data.Single(), Is.EqualTo(new Dictionary<string, string> { ["__name__"] = "up" }));
            Assert.That(metadata.Data, Is.EqualTo(new Dictionary<string, string> { ["requests_total"] = "counter" }));
        });
    }

    [TestCase("""{"status":"success","data":"0x10"}""")]
    [TestCase("""{"status":"success","data":[1,2]}""")]
    [TestCase("""{"status":"success","data":{"activeTargets":[{"labels":"job=forum","scrapeUrl":{"a":1},"health":["up"],"lastError":0}]}}""")]
    public async Task TargetsAndBuildInfo_DataOrFieldsOfOtherTypes_EmptyFieldsNotExceptions(string body)
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("*").Respond("application/json", body);
        var client = Client(mock);

        var targets = await client.TargetsAsync();
        var info = await client.BuildInfoAsync();

        Assert.Multiple(() =>
        {
            Assert.That(targets.Data, Is.Empty.Or.EqualTo(new[] { new PrometheusTarget("", "", "", "", "") }));
            Assert.That(info.Data, Is.EqualTo(new PrometheusBuildInfo("", "", "")));
        });
    }

    [Test]
    public async Task QueryAsync_BaseAddressWithPathPrefix_KeepsThePrefix()
    {
        using var mock = new MockHttpMessageHandler();
        var request = mock.When("http://proxy.test/prometheus/api/v1/query").Respond("application/json", PrometheusTestData.Read("vector.json"));

        await new PrometheusClient(mock.ToHttpClient(), new Uri("http://proxy.test/prometheus")).QueryAsync("up");

        Assert.That(mock.GetMatchCount(request), Is.EqualTo(1));
    }

    [TestCase(300, "5m")]
    [TestCase(90, "90s")]
    [TestCase(3600, "1h")]
    [TestCase(1.5, "1500ms")]
    public void PrometheusDuration_Format_UsesLargestWholeUnit(double seconds, string expected)
    {
        Assert.That(PrometheusDuration.Format(TimeSpan.FromSeconds(seconds)), Is.EqualTo(expected));
    }

    [TestCase("5m", 300)]
    [TestCase("1h30m", 5400)]
    [TestCase("250ms", 0.25)]
    public void PrometheusDuration_TryParse_ReadsPrometheusDurations(string text, double seconds)
    {
        Assert.That(PrometheusDuration.TryParse(text, out var duration), Is.True);
        Assert.That(duration.TotalSeconds, Is.EqualTo(seconds));
    }

    [TestCase("")]
    [TestCase("5")]
    [TestCase("m5")]
    public void PrometheusDuration_TryParse_RejectsOtherText(string text)
    {
        Assert.That(PrometheusDuration.TryParse(text, out _), Is.False);
    }

    [TestCase("1795000000", 1795000000_000L)]
    [TestCase("1795000000.25", 1795000000_250L)]
    [TestCase("2026-11-25T18:30:00Z", 1795631400_000L)]
    [TestCase("2026-11-25T19:30:00+01:00", 1795631400_000L)]
    public void PrometheusTime_TryParse_ReadsUnixSecondsAndRfc3339(string text, long unixMs)
    {
        Assert.That(PrometheusTime.TryParse(text, out var time), Is.True);
        Assert.That(time.ToUnixTimeMilliseconds(), Is.EqualTo(unixMs));
    }

    [TestCase("2026-11-25T18:30:00")]
    [TestCase("yesterday")]
    [TestCase("")]
    public void PrometheusTime_TryParse_RejectsTimesWithoutZoneAndOtherText(string text)
    {
        Assert.That(PrometheusTime.TryParse(text, out _), Is.False);
    }

    [Test]
    public void PrometheusTime_Format_UnderDecimalCommaCulture_UsesAPoint()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.That(PrometheusTime.Format(DateTimeOffset.FromUnixTimeMilliseconds(1795000000_250)), Is.EqualTo("1795000000.25"));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
