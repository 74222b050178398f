using PerfTools.Shared.Analysis;

namespace PerfTools.Tests.Analysis;

public class LatencyRecorderTests
{
    // 3 significant digits: a bucket spans at most 1/1024 of its values, so a reported percentile is at most
    // ~0.098% below the exact value; 0.1% relative is the tightest tolerance the resolution guarantees.
    private const double ResolutionTolerance = 0.001;

    [Test]
    public void ValueAtPercentile_OneToHundredMs_NearestRankWithinResolution()
    {
        var recorder = new LatencyRecorder();
        for (long ms = 1; ms <= 100; ms++)
        {
            recorder.Record(ms * 1000);
        }

        Assert.Multiple(() =>
        {
            Assert.That(recorder.ValueAtPercentileMicros(50), Is.EqualTo(50_000).Within(ResolutionTolerance * 50_000));
            Assert.That(recorder.ValueAtPercentileMicros(90), Is.EqualTo(90_000).Within(ResolutionTolerance * 90_000));
            Assert.That(recorder.ValueAtPercentileMicros(95), Is.EqualTo(95_000).Within(ResolutionTolerance * 95_000));
            Assert.That(recorder.ValueAtPercentileMicros(99), Is.EqualTo(99_000).Within(ResolutionTolerance * 99_000));
            Assert.That(recorder.ValueAtPercentileMicros(0), Is.EqualTo(1_000));
            Assert.That(recorder.ValueAtPercentileMicros(100), Is.EqualTo(100_000));
        });
    }

    [Test]
    public void ValueAtPercentile_SmallValues_Exact()
    {
        // Below 2048 µs every value has its own bucket, so nearest rank is exact.
        var recorder = new LatencyRecorder();
        foreach (long v in new long[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 })
        {
            recorder.Record(v);
        }

        Assert.Multiple(() =>
        {
            Assert.That(recorder.ValueAtPercentileMicros(10), Is.EqualTo(10));
            Assert.That(recorder.ValueAtPercentileMicros(11), Is.EqualTo(20)); // rank ⌈1.1⌉ = 2
            Assert.That(recorder.ValueAtPercentileMicros(50), Is.EqualTo(50));
            Assert.That(recorder.ValueAtPercentileMicros(91), Is.EqualTo(100)); // rank ⌈9.1⌉ = 10
            Assert.That(recorder.ValueAtPercentileMicros(90), Is.EqualTo(90));
        });
    }

    [Test]
    public void ValueAtPercentile_ThousandValuesAtFractionalPercentile_ExactRank()
    {
        // 99.9 · 1000 is not exactly 99900 in binary; the rank must still be 999, not 1000.
        var recorder = new LatencyRecorder();
        for (long v = 1; v <= 1000; v++)
        {
            recorder.Record(v);
        }

        Assert.That(recorder.ValueAtPercentileMicros(99.9), Is.EqualTo(999));
    }

    [Test]
    public void ValueAtPercentile_SingleSample_EveryPercentileIsIt()
    {
        var recorder = new LatencyRecorder();
        recorder.Record(123_456);

        Assert.Multiple(() =>
        {
            Assert.That(recorder.ValueAtPercentileMicros(0), Is.EqualTo(123_456));
            Assert.That(recorder.ValueAtPercentileMicros(50), Is.EqualTo(123_456));
            Assert.That(recorder.ValueAtPercentileMicros(100), Is.EqualTo(123_456));
        });
    }

    [Test]
    public void ValueAtPercentile_AllEqualLargeValues_ClampedToExactValue()
    {
        // 123456 µs falls in a 64 µs wide bucket; the clamp to the exact min/max gives it back exactly.
        var recorder = new LatencyRecorder();
        for (int i = 0; i < 10; i++)
        {
            recorder.Record(123_456);
        }

        Assert.That(recorder.ValueAtPercentileMicros(99), Is.EqualTo(123_456));
    }

    [Test]
    public void ValueAtPercentile_Empty_Zero()
    {
        var recorder = new LatencyRecorder();

        Assert.Multiple(() =>
        {
            Assert.That(recorder.ValueAtPercentileMicros(50), Is.Zero);
            Assert.That(recorder.Count, Is.Zero);
            Assert.That(recorder.MinMicros, Is.Zero);
            Assert.That(recorder.MaxMicros, Is.Zero);
        });
    }

    [TestCase(-0.1)]
    [TestCase(100.1)]
    [TestCase(double.NaN)]
    public void ValueAtPercentile_OutOfRange_Throws(double percentile)
    {
        var recorder = new LatencyRecorder();

        Assert.That(() => recorder.ValueAtPercentileMicros(percentile), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Record_OutOfRange_Clamped()
    {
        var recorder = new LatencyRecorder();
        recorder.Record(0);
        recorder.Record(-5);
        recorder.Record(long.MaxValue);

        Assert.Multiple(() =>
        {
            Assert.That(recorder.Count, Is.EqualTo(3));
            Assert.That(recorder.MinMicros, Is.EqualTo(LatencyRecorder.LowestMicros));
            Assert.That(recorder.MaxMicros, Is.EqualTo(LatencyRecorder.HighestMicros));
        });
    }

    [Test]
    public void Add_TwoRecorders_EqualsOneRecorderFedBoth()
    {
        var random = new Random(12345);
        var first = new LatencyRecorder();
        var second = new LatencyRecorder();
        var both = new LatencyRecorder();
        for (int i = 0; i < 5000; i++)
        {
            long value = (long)Math.Exp(random.NextDouble() * 16); // 1 µs .. ~9 s, log-spread
            (i % 3 == 0 ? first : second).Record(value);
            both.Record(value);
        }

        first.Add(second);

        Assert.Multiple(() =>
        {
            Assert.That(first.Count, Is.EqualTo(both.Count));
            Assert.That(first.MinMicros, Is.EqualTo(both.MinMicros));
            Assert.That(first.MaxMicros, Is.EqualTo(both.MaxMicros));
            foreach (double p in new[] { 0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100 })
            {
                Assert.That(first.ValueAtPercentileMicros(p), Is.EqualTo(both.ValueAtPercentileMicros(p)), $"p{p}");
            }
        });
    }

    [Test]
    public void Add_EmptyRecorder_LeavesMinUnchanged()
    {
        var recorder = new LatencyRecorder();
        recorder.Record(500);

        recorder.Add(new LatencyRecorder());

        Assert.Multiple(() =>
        {
            Assert.That(recorder.MinMicros, Is.EqualTo(500));
            Assert.That(recorder.Count, Is.EqualTo(1));
        });
    }

    [Test]
    public void RecordedValues_SmallAndLargeValues_BucketLowestValueWithCounts()
    {
        var recorder = new LatencyRecorder();
        foreach (long micros in new long[] { 500, 500, 1_999, 123_456, 123_457, 123_499, 250_000 })
        {
            recorder.Record(micros);
        }

        // Below 2048 µs every value has its own bucket; above, 3 digits: around 123 456 buckets are 64 µs wide, so
        // 123 456…123 499 share [123 456, 123 520); around 250 000 they are 128 wide: [249 984, 250 112).
        Assert.That(recorder.RecordedValues(), Is.EqualTo(new (long, long)[]
        {
            (500, 2), (1_999, 1), (123_456, 3), (249_984, 1),
        }));
    }

    [Test]
    public void RecordedValues_LowestBucketBelowMin_ClampedToMin()
    {
        var recorder = new LatencyRecorder();
        recorder.Record(123_460); // bucket [123 456, 123 520)
        recorder.Record(123_470);

        Assert.That(recorder.RecordedValues(), Is.EqualTo(new (long, long)[] { (123_460, 2) }));
    }

    [Test]
    public void RecordedValues_Empty_None()
    {
        Assert.That(new LatencyRecorder().RecordedValues(), Is.Empty);
    }

    [Test]
    public void MeanMicros_AfterAdd_ExactOverBothRecorders()
    {
        var a = new LatencyRecorder();
        var b = new LatencyRecorder();
        a.Record(1_000);
        a.Record(123_457);
        b.Record(10);

        a.Add(b);

        Assert.Multiple(() =>
        {
            Assert.That(a.MeanMicros, Is.EqualTo((1_000 + 123_457 + 10) / 3.0));
            Assert.That(new LatencyRecorder().MeanMicros, Is.Zero);
        });
    }
}
