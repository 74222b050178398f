using System.Globalization;
using System.Text;
using HdrHistogram;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Http;
using PerfTools.Shared.Reports.Simulation;

namespace PerfTools.Tests.Reports.Simulation;

/// <summary>The .hlog is HdrHistogram's interval log that HdrHistogram's own reader reads, in UTF-8 with invariant
/// numbers under any culture; its seconds add up to the overall histogram; and shards split by i mod N merge into
/// exactly what one recorder holds.</summary>
public sealed class SimulationHlogTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Request i of a 3 s schedule at <paramref name="rps"/>: due at i/rps, latencies spread over 4 decades
    /// (a fixed seed), every 7th sent late, every 13th without a response.</summary>
    private static List<RequestResult> Schedule(int rps, int seconds)
    {
        var random = new Random(12345);
        var results = new List<RequestResult>();
        for (int i = 0; i < rps * seconds; i++)
        {
            long lag = i % 7 == 0 ? random.Next(1_000, 50_000) : random.Next(0, 900);
            long total = (long)Math.Pow(10, 2 + (random.NextDouble() * 4)); // 100 µs to 1 s
            DateTimeOffset due = Start.AddTicks(i * TimeSpan.TicksPerSecond / rps);
            bool answered = i % 13 != 0;
            results.Add(new RequestResult("GET /x", "GET", "http://127.0.0.1/x", answered ? 200 : 0, due.AddTicks(lag * 10), lag, total, total,
                10, null, null, answered ? ErrorKind.None : ErrorKind.Timeout, answered ? null : "timeout"));
        }

        return results;
    }

    private static SimulationStats Record(IEnumerable<RequestResult> results, ScheduleShard shard, long due, int seconds, string[]? beside = null)
    {
        var recorder = new SimulationRecorder("load", "http://127.0.0.1/", Start, 200, 100, beside);
        foreach (RequestResult r in results)
        {
            recorder.Add(r);
        }

        return recorder.Complete(seconds) with { Shard = shard, StartAtGiven = true, Due = due, FirstDue = TimeSpan.Zero };
    }

    [Test]
    [SetCulture("de-DE")]
    public void Write_UnderDecimalComma_HistogramLogReaderReadsEverySecondBack()
    {
        SimulationStats stats = Record(Schedule(200, 3), ScheduleShard.Whole, 600, 3);
        using var file = new MemoryStream();
        SimulationHlog.Write(file, stats, roundBased: false);
        byte[] bytes = file.ToArray();

        string text = Encoding.UTF8.GetString(bytes);
        Assert.That(bytes[..3], Is.Not.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "no BOM");
        Assert.That(bytes, Has.None.EqualTo((byte)0), "UTF-8, not UTF-16 as HistogramLogWriter writes");
        Assert.That(text, Does.StartWith("#[Histogram log format version 1.3]\n#[StartTime: 1796551200.000 (seconds since epoch), 2026-12-06T10:00:00.000Z]\n"));
        Assert.That(text, Does.Contain("\n# scenario: load\n").And.Contain("\n# shard: 1/1\n").And.Contain("\n# due: 600\n").And.Contain("\n# sent: 600\n"));
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("Tag=", StringComparison.Ordinal)).ToArray();
        Assert.That(lines, Has.Length.EqualTo(6));
        Assert.That(lines, Has.All.Matches<string>(l => l.Split(',').Length == 5), "invariant numbers: a decimal comma would add fields");
        Assert.That(lines[0], Does.StartWith("Tag=corrected,0.000,1.000,"));
        Assert.That(lines[5], Does.StartWith("Tag=uncorrected,2.000,1.000,"));

        // HdrHistogram.NET's reader parses its numbers in the current culture (double.Parse): read under an invariant one.
        List<HistogramBase> read;
        using (new CultureScope(CultureInfo.InvariantCulture))
        {
            using var reader = new HistogramLogReader(new MemoryStream(bytes));
            read = reader.ReadHistograms().ToList();
        }

        Assert.That(read, Has.Count.EqualTo(6));
        var sum = SecondHistogram.NewHistogram();
        for (int s = 0; s < 3; s++)
        {
            HistogramBase corrected = read[2 * s];
            HistogramBase uncorrected = read[(2 * s) + 1];
            Assert.That(corrected.Tag, Is.EqualTo("corrected"));
            Assert.That(uncorrected.Tag, Is.EqualTo("uncorrected"));
            Assert.That(corrected.StartTimeStamp, Is.EqualTo(Start.ToUnixTimeMilliseconds() + (s * 1000)).Within(1));
            Assert.That(Buckets(corrected), Is.EqualTo(stats.SecondLatencies[s].Corrected.Buckets.ToList()), $"second {s} corrected");
            Assert.That(Buckets(uncorrected), Is.EqualTo(stats.SecondLatencies[s].Uncorrected.Buckets.ToList()), $"second {s} uncorrected");
            sum.Add(corrected);
        }

        var overall = SecondHistogram.NewHistogram();
        foreach (var (value, count) in stats.LatencyHistogram)
        {
            overall.RecordValueWithCount(value, count);
        }

        Assert.That(Buckets(sum), Is.EqualTo(Buckets(overall)), "the seconds add up to the overall histogram, bucket for bucket");
        Assert.That(sum.TotalCount, Is.EqualTo(stats.Ok));
    }

    [Test]
    public void Read_WhatWriteWrote_SettingsAndSeconds()
    {
        SimulationStats stats = Record(Schedule(100, 2), new ScheduleShard(2, 3), 67, 2);
        using var file = new MemoryStream();
        SimulationHlog.Write(file, stats, roundBased: false);
        file.Position = 0;

        SimulationHlogFile read = SimulationHlog.Read(file);

        Assert.That(read.Settings["shard"], Is.EqualTo("2/3"));
        Assert.That(read.Settings["due"], Is.EqualTo("67"));
        Assert.That(read.Settings["start_at"], Is.EqualTo("2026-12-06T10:00:00.000Z"));
        Assert.That(read.Settings["histogram"], Is.EqualTo(SimulationHlog.HistogramSettings));
        Assert.That(read.Seconds, Has.Count.EqualTo(2));
        Assert.That(read.Seconds[1].Corrected.Buckets, Is.EqualTo(stats.SecondLatencies[1].Corrected.Buckets));
    }

    [Test]
    public void Read_NotAnHlog_InvalidDataException()
    {
        Assert.Throws<InvalidDataException>(() => SimulationHlog.Read(new MemoryStream("second,sent\n0,1\n"u8.ToArray())));
        Assert.Throws<InvalidDataException>(() => SimulationHlog.Read(new MemoryStream(
            "#[Histogram log format version 1.3]\nTag=corrected,0.000,1.000,0.1,!!notbase64\n"u8.ToArray())));
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Merge_SplitByIndexModN_BucketForBucketEqualToOneRecorder(int n)
    {
        List<RequestResult> all = Schedule(200, 3);
        SimulationStats one = Record(all, ScheduleShard.Whole, all.Count, 3);
        string folder = Path.Combine(Path.GetTempPath(), $"hlog-merge-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            for (int k = 1; k <= n; k++)
            {
                var shard = new ScheduleShard(k, n);
                var mine = all.Where((_, i) => i % n == k - 1).ToList();
                SimulationStats part = Record(mine, shard, shard.ItemsOf(all.Count), 3);
                string stem = Path.Combine(folder, $"simulation_load_20261206_10000{k}");
                SimulationJson.WriteFile(stem + ".json", part);
                SimulationCsv.WriteFile(stem + ".csv", part.Seconds);
                SimulationHlog.WriteFile(stem + ".hlog", part, roundBased: false);
            }

            SimulationMerge merge = SimulationMerge.Load([folder], out string? problem) ?? throw new AssertionException(problem!);
            SimulationStats merged = merge.Merged();

            Assert.That(merged.LatencyHistogram, Is.EqualTo(one.LatencyHistogram));
            Assert.That(merged.LatencyHistogramUncorrected, Is.EqualTo(one.LatencyHistogramUncorrected));
            // Percentiles and max exact; the mean from the parts' means, each rounded to the µs, so within 1 µs.
            Assert.That(merged.Latency with { MeanMicros = 0 }, Is.EqualTo(one.Latency with { MeanMicros = 0 }));
            Assert.That(merged.LatencyUncorrected with { MeanMicros = 0 }, Is.EqualTo(one.LatencyUncorrected with { MeanMicros = 0 }));
            Assert.That(merged.Latency.MeanMicros, Is.EqualTo(one.Latency.MeanMicros).Within(1));
            Assert.That(merged.LatencyUncorrected.MeanMicros, Is.EqualTo(one.LatencyUncorrected.MeanMicros).Within(1));
            Assert.That((merged.Requests, merged.Ok, merged.Errors, merged.Late, merged.Due), Is.EqualTo((one.Requests, one.Ok, one.Errors, one.Late, (long?)all.Count)));
            Assert.That(merged.StatusCodes, Is.EqualTo(one.StatusCodes));
            Assert.That(merged.SecondLatencies, Has.Count.EqualTo(3));
            for (int s = 0; s < 3; s++)
            {
                Assert.That(merged.SecondLatencies[s].Corrected.Buckets, Is.EqualTo(one.SecondLatencies[s].Corrected.Buckets), $"second {s}");
                Assert.That(merged.SecondLatencies[s].Uncorrected.Buckets, Is.EqualTo(one.SecondLatencies[s].Uncorrected.Buckets), $"second {s}");
                Assert.That((merged.Seconds[s].Sent, merged.Seconds[s].Ok, merged.Seconds[s].Errors),
                    Is.EqualTo((one.Seconds[s].Sent, one.Seconds[s].Ok, one.Seconds[s].Errors)), $"second {s}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Merge_SeveralRoutesOneBeside_EachRouteEqualToOneRecordersRoute(int n)
    {
        // Routes by i mod 5 (so every shard sends each), one route sent only once (so only shard 1 has it), and one
        // reported beside the scenario's figures, as connection_pool's pool holders.
        string[] labels = ["GET /boards/{id}", "GET /posts/{id}", "GET /posts/{id}", "GET /slow", "GET /boards/{id}"];
        List<RequestResult> all = Schedule(200, 3)
            .Select((r, i) => r with { Label = i == 0 ? "GET /once" : labels[i % 5] })
            .ToList();
        string[] beside = ["GET /slow"];
        SimulationStats one = Record(all, ScheduleShard.Whole, all.Count, 3, beside);
        string folder = Path.Combine(Path.GetTempPath(), $"hlog-merge-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            for (int k = 1; k <= n; k++)
            {
                var shard = new ScheduleShard(k, n);
                SimulationStats part = Record(all.Where((_, i) => i % n == k - 1), shard, shard.ItemsOf(all.Count), 3, beside);
                string stem = Path.Combine(folder, $"simulation_load_20261206_10000{k}");
                SimulationJson.WriteFile(stem + ".json", part);
                SimulationCsv.WriteFile(stem + ".csv", part.Seconds);
                SimulationHlog.WriteFile(stem + ".hlog", part, roundBased: false);
            }

            SimulationMerge merge = SimulationMerge.Load([folder], out string? problem) ?? throw new AssertionException(problem!);
            SimulationStats merged = merge.Merged();

            Assert.That(merge.RoutesLeftOut, Is.False);
            Assert.That(merged.Routes.Select(r => (r.Label, r.Headline)), Is.EqualTo(one.Routes.Select(r => (r.Label, r.Headline))));
            Assert.That(merged.Routes.Select(r => r.Label), Is.EqualTo(new[] { "GET /boards/{id}", "GET /once", "GET /posts/{id}", "GET /slow" }));
            foreach (var (m, o) in merged.Routes.Zip(one.Routes))
            {
                Assert.That(m.LatencyHistogram, Is.EqualTo(o.LatencyHistogram), m.Label);
                Assert.That(m.LatencyHistogramUncorrected, Is.EqualTo(o.LatencyHistogramUncorrected), m.Label);
                Assert.That(m.Latency with { MeanMicros = 0 }, Is.EqualTo(o.Latency with { MeanMicros = 0 }), m.Label);
                Assert.That(m.LatencyUncorrected with { MeanMicros = 0 }, Is.EqualTo(o.LatencyUncorrected with { MeanMicros = 0 }), m.Label);
                Assert.That(m.Latency.MeanMicros, Is.EqualTo(o.Latency.MeanMicros).Within(1), m.Label);
                Assert.That((m.Requests, m.Ok, m.Errors, m.Late), Is.EqualTo((o.Requests, o.Ok, o.Errors, o.Late)), m.Label);
                Assert.That(m.StatusCodes, Is.EqualTo(o.StatusCodes), m.Label);
                Assert.That(m.ErrorsByKind, Is.EqualTo(o.ErrorsByKind), m.Label);
            }

            // The headline figures leave the route beside out, merged as in one run.
            Assert.That(merged.LatencyHistogram, Is.EqualTo(one.LatencyHistogram));
            Assert.That(merged.Requests, Is.EqualTo(one.Requests).And.EqualTo(all.Count(r => r.Label != "GET /slow")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Merge_PartsWithoutRouteHistograms_RoutesLeftOutAndSaid()
    {
        // Shards by i mod 2, routes by i mod 3: every part has both routes. (By i mod 2, each part would have one
        // route, a different one, which is left out too: the last case below.)
        List<RequestResult> all = Schedule(100, 1).Select((r, i) => r with { Label = i % 3 == 0 ? "GET /a" : "GET /b" }).ToList();
        string folder = Path.Combine(Path.GetTempPath(), $"hlog-merge-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            for (int k = 1; k <= 2; k++)
            {
                var shard = new ScheduleShard(k, 2);
                SimulationStats part = Record(all.Where((_, i) => i % 2 == k - 1), shard, shard.ItemsOf(all.Count), 1);
                // As an older version wrote it: routes without their histograms.
                part = part with { Routes = part.Routes.Select(r => r with { LatencyHistogram = [], LatencyHistogramUncorrected = [] }).ToList() };
                string stem = Path.Combine(folder, $"simulation_load_{k}");
                SimulationJson.WriteFile(stem + ".json", part);
                SimulationCsv.WriteFile(stem + ".csv", part.Seconds);
                SimulationHlog.WriteFile(stem + ".hlog", part, roundBased: false);
            }

            SimulationMerge merge = SimulationMerge.Load([folder], out string? problem) ?? throw new AssertionException(problem!);
            Assert.That(merge.RoutesLeftOut, Is.True);
            Assert.That(merge.Merged().Routes, Is.Empty);

            all = all.Select((r, i) => r with { Label = i % 2 == 0 ? "GET /a" : "GET /b" }).ToList();
            for (int k = 1; k <= 2; k++)
            {
                var shard = new ScheduleShard(k, 2);
                SimulationStats part = Record(all.Where((_, i) => i % 2 == k - 1), shard, shard.ItemsOf(all.Count), 1);
                part = part with { Routes = part.Routes.Select(r => r with { LatencyHistogram = [], LatencyHistogramUncorrected = [] }).ToList() };
                SimulationJson.WriteFile(Path.Combine(folder, $"simulation_load_{k}.json"), part);
            }

            merge = SimulationMerge.Load([folder], out problem) ?? throw new AssertionException(problem!);
            Assert.That(merge.RoutesLeftOut, Is.True);
            Assert.That(merge.Merged().Routes, Is.Empty);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Load_ShardMissingOrTwice_NamesIt()
    {
        List<RequestResult> all = Schedule(100, 1);
        string folder = Path.Combine(Path.GetTempPath(), $"hlog-merge-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            foreach ((int k, string name) in new[] { (1, "a"), (3, "b"), (3, "c") })
            {
                SimulationStats part = Record(all.Where((_, i) => i % 3 == k - 1), new ScheduleShard(k, 3), 34, 1);
                string stem = Path.Combine(folder, $"simulation_load_{name}");
                SimulationJson.WriteFile(stem + ".json", part);
                SimulationCsv.WriteFile(stem + ".csv", part.Seconds);
                SimulationHlog.WriteFile(stem + ".hlog", part, roundBased: false);
            }

            Assert.That(SimulationMerge.Load([folder], out string? twice), Is.Null);
            Assert.That(twice, Does.Contain("shard 3/3 is there 2 times"));
            File.Delete(Path.Combine(folder, "simulation_load_c.hlog"));
            Assert.That(SimulationMerge.Load([Path.Combine(folder, "simulation_load_a.hlog"), Path.Combine(folder, "simulation_load_b.json")], out string? missing), Is.Null);
            Assert.That(missing, Does.Contain("shard 2/3 missing"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static List<(long, long)> Buckets(HistogramBase h) =>
        h.RecordedValues().Select(v => (h.LowestEquivalentValue(v.ValueIteratedTo), v.CountAtValueIteratedTo)).ToList();

    /// <summary>Sets the thread's culture for a block.</summary>
    private sealed class CultureScope : IDisposable
    {
        private readonly CultureInfo _before = CultureInfo.CurrentCulture;

        public CultureScope(CultureInfo culture) => CultureInfo.CurrentCulture = culture;

        public void Dispose() => CultureInfo.CurrentCulture = _before;
    }
}
