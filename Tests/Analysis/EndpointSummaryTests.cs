using PerfTools.Shared.Analysis;
using PerfTools.Shared.Http;

namespace PerfTools.Tests.Analysis;

public class EndpointSummaryTests
{
    // See LatencyRecorderTests: 3 significant digits put a percentile at most ~0.098% below the exact value.
    private const double ResolutionTolerance = 0.001;
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    internal static RequestResult Result(
        long totalMicros,
        int status = 200,
        ErrorKind error = ErrorKind.None,
        DateTimeOffset? startedAt = null,
        long lagMicros = 0,
        double? serverTimeMs = null,
        string label = "GET /x") =>
        new(label, "GET", "http://127.0.0.1/x", status, startedAt ?? T0, lagMicros,
            status > 0 ? totalMicros / 2 : -1, totalMicros, 10, null, serverTimeMs, error, null);

    [Test]
    public void Complete_OneToHundredMs_HandComputedStats()
    {
        var summary = new EndpointSummary("GET /x");
        for (long ms = 1; ms <= 100; ms++)
        {
            summary.Add(Result(ms * 1000));
        }

        EndpointStats stats = summary.Complete();

        Assert.Multiple(() =>
        {
            Assert.That(stats.Count, Is.EqualTo(100));
            Assert.That(stats.Measured, Is.EqualTo(100));
            Assert.That(stats.Errors, Is.Zero);
            Assert.That(stats.MinMs, Is.EqualTo(1.0));
            Assert.That(stats.MaxMs, Is.EqualTo(100.0));
            Assert.That(stats.MeanMs, Is.EqualTo(50.5).Within(1e-9));
            // Sample variance of 1..n is n(n+1)/12.
            Assert.That(stats.StdDevMs, Is.EqualTo(Math.Sqrt(100 * 101 / 12.0)).Within(1e-9));
            Assert.That(stats.P50Ms, Is.EqualTo(50).Within(50 * ResolutionTolerance));
            Assert.That(stats.P90Ms, Is.EqualTo(90).Within(90 * ResolutionTolerance));
            Assert.That(stats.P95Ms, Is.EqualTo(95).Within(95 * ResolutionTolerance));
            Assert.That(stats.P99Ms, Is.EqualTo(99).Within(99 * ResolutionTolerance));
        });
    }

    [Test]
    public void Complete_SingleSample_AllFiguresAreIt()
    {
        var summary = new EndpointSummary("GET /x");
        summary.Add(Result(12_345));

        EndpointStats stats = summary.Complete();

        Assert.Multiple(() =>
        {
            Assert.That(new[] { stats.MinMs, stats.MeanMs, stats.P50Ms, stats.P90Ms, stats.P95Ms, stats.P99Ms, stats.MaxMs },
                Is.All.EqualTo(12.345));
            Assert.That(stats.StdDevMs, Is.Zero);
        });
    }

    [Test]
    public void Complete_AllEqual_ZeroDeviationExactPercentiles()
    {
        var summary = new EndpointSummary("GET /x");
        for (int i = 0; i < 50; i++)
        {
            summary.Add(Result(7_777));
        }

        EndpointStats stats = summary.Complete();

        Assert.Multiple(() =>
        {
            Assert.That(new[] { stats.MinMs, stats.MeanMs, stats.P50Ms, stats.P99Ms, stats.MaxMs }, Is.All.EqualTo(7.777));
            Assert.That(stats.StdDevMs, Is.Zero);
        });
    }

    [Test]
    public void Complete_TwoSamples_LowerIsMedianSampleStdDev()
    {
        var summary = new EndpointSummary("GET /x");
        summary.Add(Result(100));
        summary.Add(Result(300));

        EndpointStats stats = summary.Complete();

        Assert.Multiple(() =>
        {
            Assert.That(stats.MinMs, Is.EqualTo(0.1));
            Assert.That(stats.MaxMs, Is.EqualTo(0.3));
            Assert.That(stats.MeanMs, Is.EqualTo(0.2).Within(1e-12));
            Assert.That(stats.P50Ms, Is.EqualTo(0.1)); // rank ⌈0.5 · 2⌉ = 1
            Assert.That(stats.P90Ms, Is.EqualTo(0.3));
            Assert.That(stats.StdDevMs, Is.EqualTo(Math.Sqrt(2) * 0.1).Within(1e-12)); // √((100² + 100²) / 1) µs
        });
    }

    [Test]
    public void Complete_MixedFailures_OnlyWholeResponsesMeasured()
    {
        var summary = new EndpointSummary("GET /x");
        summary.Add(Result(1_000));
        summary.Add(Result(3_000));
        summary.Add(Result(5_000, status: 500, error: ErrorKind.Http5xx));
        summary.Add(Result(900_000, status: 0, error: ErrorKind.Timeout));
        summary.Add(Result(800_000, status: 200, error: ErrorKind.Reset)); // headers arrived, body broke

        EndpointStats stats = summary.Complete();

        Assert.Multiple(() =>
        {
            Assert.That(stats.Count, Is.EqualTo(5));
            Assert.That(stats.Measured, Is.EqualTo(3));
            Assert.That(stats.Errors, Is.EqualTo(3));
            Assert.That(stats.ErrorsByKind, Is.EquivalentTo(new Dictionary<string, long>
            {
                ["Timeout"] = 1,
                ["Reset"] = 1,
                ["Http5xx"] = 1,
            }));
            Assert.That(stats.MaxMs, Is.EqualTo(5.0));
            Assert.That(stats.MeanMs, Is.EqualTo(3.0).Within(1e-12));
        });
    }

    [Test]
    public void Complete_AllFailedWithoutResponse_ZerosAndNoneMeasured()
    {
        var summary = new EndpointSummary("GET /x");
        summary.Add(Result(1_000, status: 0, error: ErrorKind.Refused));
        summary.Add(Result(1_000, status: 0, error: ErrorKind.Refused));

        EndpointStats stats = summary.Complete();

        Assert.Multiple(() =>
        {
            Assert.That(stats.Count, Is.EqualTo(2));
            Assert.That(stats.Measured, Is.Zero);
            Assert.That(stats.Errors, Is.EqualTo(2));
            Assert.That(new[] { stats.MinMs, stats.MeanMs, stats.P50Ms, stats.P99Ms, stats.MaxMs, stats.StdDevMs },
                Is.All.Zero);
            Assert.That(stats.ServerTimeMeanMs, Is.Null);
        });
    }

    [Test]
    public void Complete_NoResults_ZeroThroughput()
    {
        EndpointStats stats = new EndpointSummary("GET /x").Complete();

        Assert.Multiple(() =>
        {
            Assert.That(stats.Count, Is.Zero);
            Assert.That(stats.ThroughputRps, Is.Zero);
            Assert.That(stats.ErrorsByKind, Is.Empty);
        });
    }

    [Test]
    public void Complete_TenRequestsOverNinetyFiveHundredthsSecond_CountPerSpan()
    {
        // Sent every 100 ms, each taking 50 ms: first send at 0, last completion at 950 ms.
        var summary = new EndpointSummary("GET /x");
        for (int i = 0; i < 10; i++)
        {
            summary.Add(Result(50_000, startedAt: T0.AddMilliseconds(100 * i)));
        }

        Assert.That(summary.Complete().ThroughputRps, Is.EqualTo(10 / 0.95).Within(1e-9));
    }

    [Test]
    public void Complete_CorrectedLatency_IncludesLag()
    {
        var raw = new EndpointSummary("GET /x");
        var corrected = new EndpointSummary("GET /x", useCorrectedLatency: true);
        RequestResult late = Result(2_000, lagMicros: 1_000);
        raw.Add(late);
        corrected.Add(late);

        Assert.Multiple(() =>
        {
            Assert.That(raw.Complete().MaxMs, Is.EqualTo(2.0));
            Assert.That(corrected.Complete().MaxMs, Is.EqualTo(3.0));
        });
    }

    [Test]
    public void Complete_SomeServerTimes_MeanOfReported()
    {
        var summary = new EndpointSummary("GET /x");
        summary.Add(Result(1_000, serverTimeMs: 2.0));
        summary.Add(Result(1_000, serverTimeMs: 4.0));
        summary.Add(Result(1_000));

        Assert.That(summary.Complete().ServerTimeMeanMs, Is.EqualTo(3.0));
    }
}
