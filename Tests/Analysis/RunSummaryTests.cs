using PerfTools.Shared.Analysis;
using PerfTools.Shared.Http;

namespace PerfTools.Tests.Analysis;

public class RunSummaryTests
{
    [Test]
    public void Complete_InterleavedLabels_FirstSeenOrderAndPerLabelCounts()
    {
        var run = new RunSummary();
        run.Add(EndpointSummaryTests.Result(1_000, label: "POST /boards"));
        run.Add(EndpointSummaryTests.Result(2_000, label: "GET /boards/{id}"));
        run.Add(EndpointSummaryTests.Result(3_000, label: "POST /boards"));
        run.Add(EndpointSummaryTests.Result(4_000, label: "GET /health"));

        IReadOnlyList<EndpointStats> stats = run.Complete();

        Assert.Multiple(() =>
        {
            Assert.That(stats.Select(s => s.Label), Is.EqualTo(new[] { "POST /boards", "GET /boards/{id}", "GET /health" }));
            Assert.That(stats.Select(s => s.Count), Is.EqualTo(new long[] { 2, 1, 1 }));
            Assert.That(stats[0].MeanMicros, Is.EqualTo(2_000).Within(1e-9));
        });
    }

    [Test]
    public void Add_CorrectedLatency_PassedToEveryEndpoint()
    {
        var run = new RunSummary(useCorrectedLatency: true);
        run.Add(EndpointSummaryTests.Result(2_000, lagMicros: 500));

        Assert.Multiple(() =>
        {
            Assert.That(run.Endpoints.Single().UseCorrectedLatency, Is.True);
            Assert.That(run.Complete().Single().MaxMicros, Is.EqualTo(2_500));
        });
    }
}
