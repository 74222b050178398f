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
            Assert.That(stats.MinMicros, Is.EqualTo(1_000));
            Assert.That(stats.MaxMicros, Is.EqualTo(100_000));
            Assert.That(stats.MeanMicros, Is.EqualTo(50_500).Within(1e-6));
            // Sample variance of 1..n is n(n+1)/12 (ms²).
            Assert.That(stats.StdDevMicros, Is.EqualTo(Math.Sqrt(100 * 101 / 12.0) * 1000).Within(1e-6));
            Assert.That(stats.P50Micros, Is.EqualTo(50_000).Within(50_000 * ResolutionTolerance));
            Assert.That(stats.P90Micros, Is.EqualTo(90_000).Within(90_000 * ResolutionTolerance));
            Assert.That(stats.P95Micros, Is.EqualTo(95_000).Within(95_000 * ResolutionTolerance));
            Assert.That(stats.P99Micros, Is.EqualTo(99_000).Within(99_000 * ResolutionTolerance));
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
            Assert.That(new[] { stats.MinMicros, stats.MeanMicros, stats.P50Micros, stats.P90Micros, stats.P95Micros, stats.P99Micros, stats.MaxMicros },
                Is.All.EqualTo(12_345));
            Assert.That(stats.StdDevMicros, Is.Zero);
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
            Assert.That(new[] { stats.MinMicros, stats.MeanMicros, stats.P50Micros, stats.P99Micros, stats.MaxMicros }, Is.All.EqualTo(7_777));
            Assert.That(stats.StdDevMicros, Is.Zero);
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
            Assert.That(stats.MinMicros, Is.EqualTo(100));
            Assert.That(stats.MaxMicros, Is.EqualTo(300));
            Assert.That(stats.MeanMicros, Is.EqualTo(200).Within(1e-9));
            Assert.That(stats.P50Micros, Is.EqualTo(100)); // rank ⌈0.5 · 2⌉ = 1
            Assert.That(stats.P90Micros, Is.EqualTo(300));
            Assert.That(stats.StdDevMicros, Is.EqualTo(Math.Sqrt(2) * 100).Within(1e-9)); // √((100² + 100²) / 1) µs
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
            Assert.That(stats.MaxMicros, Is.EqualTo(5_000));
            Assert.That(stats.MeanMicros, Is.EqualTo(3_000).Within(1e-9));
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
            Assert.That(new[] { stats.MinMicros, stats.MeanMicros, stats.P50Micros, stats.P99Micros, stats.MaxMicros, stats.StdDevMicros },
                Is.All.Zero);
            Assert.That(stats.LatencyHistogram, Is.Empty);
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
            Assert.That(raw.Complete().MaxMicros, Is.EqualTo(2_000));
            Assert.That(corrected.Complete().MaxMicros, Is.EqualTo(3_000));
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
