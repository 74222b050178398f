using System.Text;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Reports.Simulation;
using SkiaSharp;

namespace PerfTools.Tests.Reports.Simulation;

/// <summary>The simulation's JSON and CSV read back to what was written (STYLE habits 6, 7); the PNG is smoke-checked (habit 10).</summary>
public sealed class SimulationReportsTests
{
    internal static SimulationStats Sample(long? rounds = null) => new(
        "load", "http://127.0.0.1:8080/", new DateTimeOffset(2026, 11, 25, 13, 4, 5, 678, TimeSpan.FromHours(1)),
        12.5, 3.25, 1000, 40, 37, 3, 4, 250_001,
        new LatencySummary(1_234, 5_678, 260_000, 261_001) { P95Micros = 250_500, MeanMicros = 20_345 },
        new LatencySummary(1_000, 2_000, 9_999, 10_500) { P95Micros = 9_000, MeanMicros = 1_700 },
        new SortedDictionary<int, long> { [200] = 37, [503] = 2 },
        new Dictionary<string, long> { ["Timeout"] = 1, ["Http5xx"] = 2 },
        rounds, rounds is null ? null : 1,
        [new SecondStats(0, 13, 13, 0, 1_100, 1_500, 1_400), new SecondStats(1, 12, 10, 2, 250_500, 261_001, 9_999),
            new SecondStats(2, 15, 14, 1, 1_001, 2_002, 2_000), new SecondStats(3, 0, 0, 0, 0, 0, 0)])
    {
        LatencyHistogram = [(1_100, 3), (1_234, 20), (5_670, 10), (250_496, 5), (261_001, 1)],
        LatencyHistogramUncorrected = [(1_000, 20), (1_100, 10), (9_000, 9)],
        Routes = SampleRoutes,
        WarmupSeconds = 5,
        WarmupRequests = 63,
        Generator = new GeneratorLag(rounds ?? 40, rounds is null ? 12 : 1, 1_500, rounds is not null), // 12 of 40 sends: behind, the reports warn
    };

    /// <summary>A connection_pool-shaped pair: the headline route with the scenario's own figures, and a route reported
    /// beside them whose 503s are not in those figures.</summary>
    internal static IReadOnlyList<RouteStats> SampleRoutes { get; } =
    [
        new("GET /boards/{id}", true, 40, 37, 3, 4,
            new LatencySummary(1_234, 5_678, 260_000, 261_001) { P95Micros = 250_500, MeanMicros = 20_345 },
            new LatencySummary(1_000, 2_000, 9_999, 10_500) { P95Micros = 9_000, MeanMicros = 1_700 },
            new SortedDictionary<int, long> { [200] = 37, [503] = 2 },
            new Dictionary<string, long> { ["Timeout"] = 1, ["Http5xx"] = 2 })
        {
            LatencyHistogram = [(1_234, 20), (5_670, 10), (250_496, 5), (261_001, 2)],
            LatencyHistogramUncorrected = [(1_000, 30), (9_000, 7)],
        },
        new("GET /slow", false, 64, 60, 4, 0,
            new LatencySummary(512_300, 1_000_100, 1_450_000, 1_502_999) { P95Micros = 1_400_000, MeanMicros = 640_321 },
            new LatencySummary(512_300, 1_000_100, 1_450_000, 1_502_999) { P95Micros = 1_400_000, MeanMicros = 640_321 },
            new SortedDictionary<int, long> { [200] = 60, [503] = 4 },
            new Dictionary<string, long> { ["Http5xx"] = 4 }),
    ];

    /// <summary>The routes with their dictionaries and histograms swapped for <paramref name="expected"/>'s, so a record
    /// comparison compares the rest; those are compared on their own.</summary>
    internal static void AssertRoutesEqual(IReadOnlyList<RouteStats> actual, IReadOnlyList<RouteStats> expected)
    {
        Assert.That(actual, Has.Count.EqualTo(expected.Count));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.That(actual[i] with
            {
                StatusCodes = expected[i].StatusCodes,
                ErrorsByKind = expected[i].ErrorsByKind,
                LatencyHistogram = expected[i].LatencyHistogram,
                LatencyHistogramUncorrected = expected[i].LatencyHistogramUncorrected,
            }, Is.EqualTo(expected[i]));
            Assert.That(actual[i].LatencyHistogram, Is.EqualTo(expected[i].LatencyHistogram), expected[i].Label);
            Assert.That(actual[i].LatencyHistogramUncorrected, Is.EqualTo(expected[i].LatencyHistogramUncorrected), expected[i].Label);
            Assert.That(actual[i].StatusCodes, Is.EqualTo(expected[i].StatusCodes), expected[i].Label);
            Assert.That(actual[i].ErrorsByKind, Is.EqualTo(expected[i].ErrorsByKind), expected[i].Label);
        }
    }

    [TestCase("en-US", null)]
    [TestCase("de-DE", null)]
    [TestCase("de-DE", 8L)]
    public void WriteThenRead_JsonAndCsv_RoundTrip(string culture, long? rounds)
    {
        using var scope = new CultureScope(culture);
        SimulationStats stats = Sample(rounds);
        using var json = new MemoryStream();
        using var csv = new MemoryStream();
        SimulationJson.Write(json, stats);
        SimulationCsv.Write(csv, stats.Seconds);
        json.Position = 0;
        csv.Position = 0;

        SimulationStats summary = SimulationJson.Read(json);
        IReadOnlyList<SecondStats> seconds = SimulationCsv.Read(csv);

        Assert.Multiple(() =>
        {
            Assert.That(
                summary with
                {
                    StatusCodes = stats.StatusCodes, ErrorsByKind = stats.ErrorsByKind, Seconds = stats.Seconds,
                    LatencyHistogram = stats.LatencyHistogram, LatencyHistogramUncorrected = stats.LatencyHistogramUncorrected, Routes = stats.Routes,
                },
                Is.EqualTo(stats));
            Assert.That(summary.LatencyHistogram, Is.EqualTo(stats.LatencyHistogram));
            Assert.That(summary.LatencyHistogramUncorrected, Is.EqualTo(stats.LatencyHistogramUncorrected));
            AssertRoutesEqual(summary.Routes, stats.Routes);
            Assert.That(summary.StatusCodes, Is.EqualTo(stats.StatusCodes));
            Assert.That(summary.ErrorsByKind, Is.EqualTo(stats.ErrorsByKind));
            Assert.That(seconds, Is.EqualTo(stats.Seconds));
        });
    }

    [TestCase("en-US")]
    [TestCase("de-DE")]
    public void Write_Csv_MatchesGolden(string culture)
    {
        using var scope = new CultureScope(culture);
        using var stream = new MemoryStream();

        SimulationCsv.Write(stream, Sample().Seconds);

        GoldenFile.AssertMatches("simulation.csv", stream.ToArray());
    }

    [Test]
    public void Write_Json_HasTheDocumentedKeysInInvariantCulture()
    {
        using var scope = new CultureScope("de-DE");
        using var stream = new MemoryStream();
        SimulationJson.Write(stream, Sample());
        string text = Encoding.UTF8.GetString(stream.ToArray());

        Assert.Multiple(() =>
        {
            foreach (string key in new[]
            {
                "scenario", "target_rps", "achieved_rps", "duration_s", "requests", "ok", "errors", "late", "max_lag_ms",
                "latency_ms", "latency_uncorrected_ms", "status_codes", "errors_by_kind", "base_url", "started_at", "max_in_flight",
                "warmup_seconds", "warmup_requests",
            })
            {
                Assert.That(text, Does.Contain($"\"{key}\":"));
            }

            Assert.That(text, Does.Contain("\"achieved_rps\": 12.308,"));
            Assert.That(text, Does.Contain("\"max_lag_ms\": 250.001,"));
            Assert.That(text, Does.Contain("\"warmup_seconds\": 5.0,\n  \"warmup_requests\": 63,"));
            Assert.That(text, Does.Contain("\"p99\": 260.000,"));
            Assert.That(text, Does.Contain("\"p95\": 250.500,"));
            Assert.That(text, Does.Contain("\"mean\": 20.345"));
            Assert.That(text, Does.Contain("\"latency_histogram\": [\n    [1100, 3],\n    [1234, 20],"), "one pair a line");
            Assert.That(text, Does.Contain("\"200\": 37"));
            Assert.That(text, Does.Not.Contain("\"rounds\""), "only round-based scenarios have rounds");
            Assert.That(text, Does.Contain("\"routes\": {\n    \"GET /boards/{id}\": {\n      \"headline\": true,\n      \"requests\": 40,"));
            Assert.That(text, Does.Contain("\"GET /slow\": {\n      \"headline\": false,"));
            Assert.That(text.IndexOf("\"routes\"", StringComparison.Ordinal),
                Is.LessThan(text.IndexOf("\"latency_histogram\"", StringComparison.Ordinal)), "the long histogram last");
        });
    }

    [Test]
    public void Write_Json_MatchesGoldenFile()
    {
        using var scope = new CultureScope("de-DE");
        using var stream = new MemoryStream();
        SimulationJson.Write(stream, Sample(8));

        GoldenFile.AssertMatches("simulation.json", stream.ToArray());
    }

    [Test]
    public void Read_JsonFromBeforeP95MeanAndHistogram_ReadsWithThemNullAndEmpty()
    {
        // The shape simulate_bottleneck wrote before issue 7: no p95, no mean, no latency_histogram.
        const string old = """
            {
              "scenario": "slow", "base_url": "http://127.0.0.1:8080/", "started_at": "2026-11-25T13:04:05.6780000+01:00",
              "target_rps": 10, "achieved_rps": 10.000, "duration_s": 2.0, "max_in_flight": 1000,
              "requests": 20, "ok": 20, "errors": 0, "late": 0, "max_lag_ms": 0.012,
              "latency_ms": { "p50": 501.100, "p90": 502.000, "p99": 503.000, "max": 503.500 },
              "latency_uncorrected_ms": { "p50": 501.000, "p90": 501.900, "p99": 502.900, "max": 503.400 },
              "status_codes": { "200": 20 }, "errors_by_kind": {}, "rounds": 4, "late_rounds": 0
            }
            """;
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(old));

        SimulationStats stats = SimulationJson.Read(stream);

        Assert.Multiple(() =>
        {
            Assert.That(stats.Latency, Is.EqualTo(new LatencySummary(501_100, 502_000, 503_000, 503_500)));
            Assert.That(stats.Latency.P95Micros, Is.Null);
            Assert.That(stats.Latency.MeanMicros, Is.Null);
            Assert.That(stats.LatencyHistogram, Is.Empty);
            Assert.That(stats.Routes, Is.Empty);
        });
    }

    [Test]
    public void Read_JsonFromBeforeRoutes_ReadsWithNoRoutesAndTheRestIntact()
    {
        // The shape simulate_bottleneck wrote before issue 12: everything but routes.
        using var stream = new MemoryStream();
        SimulationJson.Write(stream, Sample(8));
        JObject root = JObject.Parse(Encoding.UTF8.GetString(stream.ToArray()));
        root.Remove("routes");
        using var old = new MemoryStream(Encoding.UTF8.GetBytes(root.ToString()));

        SimulationStats stats = SimulationJson.Read(old);

        Assert.Multiple(() =>
        {
            Assert.That(stats.Routes, Is.Empty);
            Assert.That(stats.HasRouteBreakdown, Is.False);
            Assert.That(stats.OkAllRoutes, Is.EqualTo(37), "the scenario's own ok count");
            Assert.That(stats.Latency, Is.EqualTo(Sample().Latency));
            Assert.That(stats.LatencyHistogram, Is.EqualTo(Sample().LatencyHistogram));
        });
    }

    [Test]
    public void Read_JsonFromBeforeWarmup_ReadsWithNoWarmupAndTheRestIntact()
    {
        // The shape simulate_bottleneck wrote before issue 13: no warmup_seconds, no warmup_requests.
        using var stream = new MemoryStream();
        SimulationJson.Write(stream, Sample(8));
        JObject root = JObject.Parse(Encoding.UTF8.GetString(stream.ToArray()));
        root.Remove("warmup_seconds");
        root.Remove("warmup_requests");
        using var old = new MemoryStream(Encoding.UTF8.GetBytes(root.ToString()));

        SimulationStats stats = SimulationJson.Read(old);

        Assert.Multiple(() =>
        {
            Assert.That(stats.WarmupSeconds, Is.Zero);
            Assert.That(stats.WarmupRequests, Is.Zero);
            Assert.That(stats.Requests, Is.EqualTo(40));
            Assert.That(stats.LatencyHistogram, Is.EqualTo(Sample().LatencyHistogram));
        });
    }

    [TestCase("\"warmup_requests\": \"many\"", "'warmup_requests'")]
    [TestCase("\"warmup_seconds\": null", "'warmup_seconds'")]
    public void ReadJson_BadWarmup_InvalidDataOnOneLine(string warmup, string problem)
    {
        using var stream = new MemoryStream();
        SimulationJson.Write(stream, Sample());
        string text = Encoding.UTF8.GetString(stream.ToArray());
        string key = warmup[..warmup.IndexOf(':', StringComparison.Ordinal)];
        text = System.Text.RegularExpressions.Regex.Replace(text, key + @": [^,]+", warmup);
        using var damaged = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var e = Assert.Throws<InvalidDataException>(() => SimulationJson.Read(damaged));

        Assert.That(e!.Message, Does.Contain(problem).And.Not.Contain("\n"));
    }

    [TestCase("\"routes\": []", "routes is not an object")]
    [TestCase("\"routes\": {\"GET /x\": 1}", "routes[\"GET /x\"] is a number, not an object")]
    [TestCase("\"routes\": {\"GET /x\": {\"headline\": 1}}", "'routes[\"GET /x\"].headline'")]
    [TestCase("\"routes\": {\"GET /x\": {\"headline\": true, \"requests\": 1}}", "'routes[\"GET /x\"].ok'")]
    [TestCase("\"routes\": {\"GET /\\u0007\": {\"headline\": true}}", "'routes[\"GET /\\x07\"].requests'")]
    public void ReadJson_BadRoutes_InvalidDataOnOneLineNamingTheRoute(string routes, string problem)
    {
        using var stream = new MemoryStream();
        SimulationJson.Write(stream, Sample() with { Routes = [] });
        var text = DamagedReport.Damage(Encoding.UTF8.GetString(stream.ToArray()), "\"routes\": {}", routes);

        var e = DamagedReport.Read(text, s => SimulationJson.Read(s), "simulation report");

        Assert.That(e.Message, Does.Contain(problem));
    }

    [TestCase("\"latency_histogram\": {}", "not an array")]
    [TestCase("\"latency_histogram\": [[1, 2, 3]]", "entry 1")]
    [TestCase("\"latency_histogram\": [[1, 2], [1.5, 2]]", "entry 2")]
    [TestCase("\"latency_histogram\": [[1, -2]]", "entry 1")]
    [TestCase("\"latency_histogram\": [[99999999999999999999999, 2]]", "simulation report:")]
    public void ReadJson_BadHistogram_InvalidDataOnOneLine(string histogram, string problem)
    {
        using var stream = new MemoryStream();
        SimulationJson.Write(stream, Sample() with { LatencyHistogram = [] });
        var text = DamagedReport.Damage(Encoding.UTF8.GetString(stream.ToArray()), "\"latency_histogram\": []", histogram);

        var e = DamagedReport.Read(text, s => SimulationJson.Read(s), "simulation report");

        Assert.That(e.Message, Does.Contain(problem));
    }

    [Test]
    public void Write_Csv_HeaderAndRowsAsDocumented()
    {
        using var scope = new CultureScope("de-DE");
        using var stream = new MemoryStream();
        SimulationCsv.Write(stream, Sample().Seconds.Take(2));
        Assert.That(Encoding.UTF8.GetString(stream.ToArray()), Is.EqualTo(
            "second,sent,ok,errors,p50_ms,p99_ms,p99_uncorrected_ms\r\n"
            + "0,13,13,0,1.100,1.500,1.400\r\n"
            + "1,12,10,2,250.500,261.001,9.999\r\n"));
    }

    [Test]
    public void ForRun_FilesOfTheSameSecondExist_NextSuffix()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"sim-paths-{Guid.NewGuid():N}");
        try
        {
            var at = new DateTimeOffset(2026, 11, 25, 13, 4, 5, TimeSpan.Zero);
            var first = SimulationReportPaths.ForRun(folder, "slow", at);
            Directory.CreateDirectory(folder);
            File.WriteAllText(first.Csv, "");
            var second = SimulationReportPaths.ForRun(folder, "slow", at);

            Assert.Multiple(() =>
            {
                Assert.That(Path.GetFileName(first.Json), Is.EqualTo("simulation_slow_20261125_130405.json"));
                Assert.That(Path.GetFileName(second.Png), Is.EqualTo("simulation_slow_20261125_130405_2.png"));
                Assert.That(Path.GetFileName(SimulationReportPaths.ForRun(folder, "load", at).Json),
                    Is.EqualTo("simulation_load_20261125_130405.json"), "another scenario's files do not collide");
            });
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [TestCase("en-US")]
    [TestCase("de-DE")]
    public void RenderPng_Sample_DecodesAtSizeAndIsNotBlank(string culture)
    {
        using var scope = new CultureScope(culture);
        byte[] png = new SimulationChart { Width = 900, Height = 600 }.RenderPng(Sample());
        using var bitmap = SKBitmap.Decode(png);
        int inked = bitmap.Pixels.Count(p => p != SKColors.White);

        Assert.Multiple(() =>
        {
            Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((900, 600)));
            Assert.That(inked / (double)bitmap.Pixels.Length, Is.InRange(0.01, 0.6));
            Assert.That(bitmap.Pixels.Distinct().Count(), Is.GreaterThan(10));
        });
    }

    [Test]
    public void RenderPng_NoSeconds_StillRenders()
    {
        byte[] png = new SimulationChart { Width = 400, Height = 300 }.RenderPng(Sample() with { Seconds = [] });
        using var bitmap = SKBitmap.Decode(png);
        Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((400, 300)));
    }

    // Regressions found by the parser fuzz: these threw JsonReaderException or gave a two-line message.
    [TestCase("", "", "not JSON")]
    [TestCase("\"Timeout\": 1", "\"Timeout\": \"line\\nbreak\"", "malformed:")]
    [TestCase("\"rounds\": 8", "\"rounds\": 123456789012345678901234567890", "malformed:")]
    [TestCase("\n}\n", "\n}\n{}", "not JSON: Additional text")]
    public void ReadJson_Damaged_InvalidDataOnOneLine(string find, string replacement, string problem)
    {
        using var stream = new MemoryStream();
        SimulationJson.Write(stream, Sample(8));
        var text = find.Length == 0 ? "" : DamagedReport.Damage(Encoding.UTF8.GetString(stream.ToArray()), find, replacement);

        var e = DamagedReport.Read(text, s => SimulationJson.Read(s), "simulation report");

        Assert.That(e.Message, Does.Contain(problem));
    }

    // Regressions found by the parser fuzz: these threw CsvFormatException, FormatException or KeyNotFoundException.
    [TestCase("1,12,", "1,\u0000,", "'sent'")]
    [TestCase(",250.500,", ",},", "row 2:")]
    [TestCase(",1.100,", ",1.1e999,", "row 1:")]
    [TestCase("second,sent,", "", "second")]
    public void ReadCsv_Damaged_InvalidDataOnOneLine(string find, string replacement, string problem)
    {
        using var stream = new MemoryStream();
        SimulationCsv.Write(stream, Sample().Seconds);
        var text = DamagedReport.Damage(Encoding.UTF8.GetString(stream.ToArray()), find, replacement);

        var e = DamagedReport.Read(text, s => SimulationCsv.Read(s), "simulation CSV");

        Assert.That(e.Message, Does.Contain(problem));
    }
}
