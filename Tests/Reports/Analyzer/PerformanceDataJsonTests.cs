using System.Text;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Http;
using PerfTools.Shared.Reports.Analyzer;

namespace PerfTools.Tests.Reports.Analyzer;

[TestFixture]
public sealed class PerformanceDataJsonTests
{
    [Test]
    public void Write_SampleRun_HasThePythonScriptsShape()
    {
        using var stream = new MemoryStream();
        PerformanceDataJson.Write(stream, PerformanceDataJson.Samples(ReportSamples.Results));

        var root = JObject.Parse(Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Multiple(() =>
        {
            // The timed-out POST got no response, so it has no latency and no key.
            Assert.That(root.Properties().Select(p => p.Name), Is.EqualTo(new[] { "GET /boards", "GET /boards/{id}" }));
            foreach (var property in root.Properties())
            {
                Assert.That(property.Value.Type, Is.EqualTo(JTokenType.Array), property.Name);
                Assert.That(property.Value.Children().Select(v => v.Type), Is.All.AnyOf(JTokenType.Float, JTokenType.Integer), property.Name);
            }

            Assert.That(root["GET /boards"]!.Values<double>(), Is.EqualTo(new[] { 12.345, 9.87 }), "ms in send order");
            Assert.That(root["GET /boards/{id}"]!.Values<double>(), Is.EqualTo(new[] { 45.678, 100.002 }), "a 503 still has a latency");
        });
    }

    [Test]
    public void Samples_ResultsOutOfSendOrder_AreInSendOrder()
    {
        var late = ReportSamples.Results[0] with { StartedAt = ReportSamples.Start.AddSeconds(1), TotalMicros = 2_000 };
        var early = ReportSamples.Results[0] with { TotalMicros = 1_000 };

        var samples = PerformanceDataJson.Samples([late, early]);

        Assert.That(samples["GET /boards"], Is.EqualTo(new[] { 1.0, 2.0 }));
    }

    [Test]
    public void Read_ValueNotAnArrayOfNumbers_Throws()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("""{"GET /": [1.5, "2"]}"""));
        Assert.That(() => PerformanceDataJson.Read(stream), Throws.TypeOf<InvalidDataException>());
    }

    [Test]
    public void Write_NotFinite_Throws()
    {
        var samples = new Dictionary<string, IReadOnlyList<double>> { ["GET /"] = [double.NaN] };
        using var stream = new MemoryStream();
        Assert.That(() => PerformanceDataJson.Write(stream, samples), Throws.ArgumentException);
    }

    [Test]
    public void Samples_NoResponses_Empty()
    {
        var timeout = ReportSamples.Results.Single(r => r.Error == ErrorKind.Timeout);
        Assert.That(PerformanceDataJson.Samples([timeout]), Is.Empty);
    }

    // Regressions found by the parser fuzz: these threw JsonReaderException or gave a two-line message.
    [TestCase("", "not JSON")]
    [TestCase("   \n", "not JSON")]
    [TestCase("{\"GET /\": [1.5,", "not JSON")]
    [TestCase("[1.5]", "an array, not an object")]
    [TestCase("{\"GET /\": [1.5]}\n{\"GET /\": [2]}", "not JSON: Additional text encountered after finished reading JSON content")]
    [TestCase("{\"GET /\": [NaN]}", "line 1: 'GET /' holds NaN, not a finite number")]
    [TestCase("{\"GET /\": [\"line\\nbreak\"]}", "line 1: 'GET /' holds \"line\\nbreak\", not a finite number")]
    public void Read_NotPerformanceData_InvalidDataOnOneLine(string text, string problem)
    {
        var e = DamagedReport.Read(text, s => PerformanceDataJson.Read(s), "performance data");

        Assert.That(e.Message, Does.Contain(problem));
    }

    [Test]
    public void ReadWarmups_FileWrittenBeforeWarmupsWereReported_EmptyAndSamplesAsBefore()
    {
        byte[] old = Encoding.UTF8.GetBytes("""{"GET /boards": [12.345, 9.87], "POST /boards": [3]}""");

        Assert.Multiple(() =>
        {
            Assert.That(PerformanceDataJson.ReadWarmups(new MemoryStream(old)), Is.Empty);
            Assert.That(PerformanceDataJson.Read(new MemoryStream(old)).Keys, Is.EqualTo(new[] { "GET /boards", "POST /boards" }));
        });
    }

    [Test]
    public void Read_WarmupKey_NotAnEndpointAndSettledMayBeLeftOut()
    {
        byte[] text = Encoding.UTF8.GetBytes("""
            {"GET /x": [1.5], "warmup": {"GET /x": {"requests": 30, "settled": true}, "POST /y": {"requests": 5}, "GET /z": {"requests": 0, "settled": null, "later": 1}}}
            """);

        Assert.Multiple(() =>
        {
            Assert.That(PerformanceDataJson.Read(new MemoryStream(text)).Keys, Is.EqualTo(new[] { "GET /x" }), "warmup is not a label");
            Assert.That(PerformanceDataJson.ReadWarmups(new MemoryStream(text)), Is.EqualTo(new Dictionary<string, WarmupOutcome>
            {
                ["GET /x"] = new(30, true),
                ["POST /y"] = new(5, null),
                ["GET /z"] = new(0, null),
            }));
        });
    }

    [TestCase("""{"warmup": {"GET /x": 30}}""")]
    [TestCase("""{"warmup": {"GET /x": {"requests": -1, "settled": true}}}""")]
    [TestCase("""{"warmup": {"GET /x": {"requests": 1.5, "settled": true}}}""")]
    [TestCase("""{"warmup": {"GET /x": {"requests": 123456789012345678901234567890}}}""")]
    [TestCase("""{"warmup": {"GET /x": {"requests": 3, "settled": "yes"}}}""")]
    [TestCase("""{"warmup": {"GET /x": {"settled": true}}}""")]
    public void Read_DamagedWarmup_InvalidDataOnOneLine(string text)
    {
        var e = DamagedReport.Read(text, s => PerformanceDataJson.ReadWarmups(s), "performance data");

        Assert.That(e.Message, Does.Contain("warm-up of 'GET /x' is not"));
    }

    [Test]
    public void Read_IntegerTooLongForALong_ReadsAsADouble()
    {
        // Regression (parser fuzz): Value<double>() threw InvalidCastException for the BigInteger Newtonsoft reads this as.
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("""{"GET /": [123456789012345678901234567890]}"""));

        Assert.That(PerformanceDataJson.Read(stream)["GET /"], Is.EqualTo(new[] { 1.2345678901234568E+29 }));
    }

    [Test]
    public void ReadFile_Damaged_MessageStartsWithThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"performance_data_{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\"GET /\": [1.5");
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => PerformanceDataJson.ReadFile(path));

            Assert.That(e!.Message, Does.StartWith($"{path}: performance data: not JSON"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
