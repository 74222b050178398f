using System.Text;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Http;
using PerfTools.Shared.Reports;

namespace PerfTools.Tests.Reports;

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
}
