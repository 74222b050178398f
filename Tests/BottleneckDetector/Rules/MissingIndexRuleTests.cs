using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Metrics;
using static PerfTools.Tests.BottleneckDetector.Rules.PromData;

namespace PerfTools.Tests.BottleneckDetector.Rules;

/// <summary>missing_index from postgres_exporter's table statistics (the window's increase of the cumulative counters),
/// and the notes on what evidence it lacked.</summary>
public class MissingIndexRuleTests
{
    private static readonly TableStatsMetrics Stats = new(
        "pg_stat_user_tables_seq_scan", "pg_stat_user_tables_idx_scan", "pg_stat_user_tables_n_live_tup", ["datname", "schemaname", "relname"]);

    private static readonly TableQueries Queries = TableQueries.For(Stats, (m, _) => m, "5m");

    private static PrometheusSeries Table(string relname, double value) =>
        Series(value, ("datname", "forum"), ("schemaname", "public"), ("relname", relname));

    private static IReadOnlyList<Finding> Evaluate(double seq, double idx, double rows, bool databaseGiven = false) =>
        MissingIndexRule.EvaluateTableStats(Stats, Queries, Vector(Table("comments", seq)), Vector(Table("comments", idx)), Vector(Table("comments", rows)),
            "5m", new DetectorThresholds(), databaseGiven);

    [Test]
    public void EvaluateTableStats_BigTableReadBySequentialScans_Warning()
    {
        var f = Evaluate(seq: 31, idx: 0, rows: 200_000).Single();

        Assert.Multiple(() =>
        {
            Assert.That(f.Rule, Is.EqualTo("missing_index"));
            Assert.That(f.Severity, Is.EqualTo(Severity.Warning));
            Assert.That(f.Target, Is.EqualTo("forum.public.comments"));
            Assert.That((f.Value, f.Unit), Is.EqualTo((1.0, "ratio")));
            Assert.That(f.Threshold, Is.EqualTo(0.05).Within(1e-9));
            Assert.That(f.Evidence, Is.EqualTo(
                "sum by (datname, schemaname, relname) (increase(pg_stat_user_tables_seq_scan[5m])) = 31; " +
                "sum by (datname, schemaname, relname) (increase(pg_stat_user_tables_idx_scan[5m])) = 0; " +
                "max by (datname, schemaname, relname) (last_over_time(pg_stat_user_tables_n_live_tup[5m])) = 200000"));
            Assert.That(f.Recommendation, Does.StartWith("comments (200,000 rows) was read by 31 sequential scan(s) and 0 index scan(s) in the 5m window (100 % sequential"));
            Assert.That(f.Recommendation, Does.Contain("Pass --database-url (a postgres:// URL of database forum)"));
            Assert.That(f.NextSteps.Single(), Does.Contain("FROM pg_stat_statements WHERE query ILIKE '%comments%'"));
        });
    }

    [Test]
    public void EvaluateTableStats_WithDatabaseUrl_TheAdviceDoesNotAskForIt()
    {
        Assert.That(Evaluate(31, 0, 200_000, databaseGiven: true).Single().Recommendation, Does.Not.Contain("Pass --database-url"));
    }

    [Test]
    public void EvaluateTableStats_CountersStoppedIncreasing_NothingAfterTheFix()
    {
        // The table was scanned 31 times before the index was built; since then the counters stand still: their
        // increase over the window is 0, whatever their cumulative value.
        Assert.That(Evaluate(seq: 0, idx: 480, rows: 200_000), Is.Empty);
        Assert.That(Evaluate(seq: 0.2, idx: 0, rows: 200_000), Is.Empty, "an extrapolated fraction of a scan is no scan");
    }

    [Test]
    public void EvaluateTableStats_UnderTenThousandRows_Nothing()
    {
        Assert.That(Evaluate(seq: 500, idx: 0, rows: 9_999), Is.Empty);
    }

    [TestCase(95, 5, 0)] // 95 % index scans: PgHero's limit, fine
    [TestCase(94, 6, 1)]
    public void EvaluateTableStats_IndexScanShare_NothingFromNinetyFivePercent(double idx, double seq, int expected)
    {
        Assert.That(Evaluate(seq, idx, 50_000), Has.Count.EqualTo(expected));
    }

    [Test]
    public void EvaluateTableStats_MillionRows_Critical()
    {
        Assert.That(Evaluate(3, 0, 2_000_000).Single().Severity, Is.EqualTo(Severity.Critical));
    }

    [Test]
    public void EvaluateTableStats_NoIndexScanSeries_CountsAsNoIndexScans()
    {
        var findings = MissingIndexRule.EvaluateTableStats(Stats, Queries, Vector(Table("events", 4)), Vector(), Vector(Table("events", 40_000)), "5m", new DetectorThresholds());

        Assert.That(findings.Single().Target, Is.EqualTo("forum.public.events"));
    }

    [Test]
    public void Coverage_SaysWhatEvidenceWasLacking()
    {
        var tables = DiscoveredMetrics.None with { TableStats = Stats, PostgresExporter = true };
        var exporterOnly = DiscoveredMetrics.None with { PostgresExporter = true };
        var reachable = new SourceStatus("postgres://***@db:5432/forum", true, "PostgreSQL 15.18");
        var unreachable = new SourceStatus("postgres://***@db:5432/forum", false, null, "connection refused");

        Assert.Multiple(() =>
        {
            Assert.That(MissingIndexRule.Coverage(tables, null), Is.EqualTo("missing_index: table statistics only; pass --database-url to EXPLAIN the slowest statements"));
            Assert.That(MissingIndexRule.Coverage(tables, reachable), Is.Null);
            Assert.That(MissingIndexRule.Coverage(tables, unreachable), Is.EqualTo("missing_index: table statistics only (the database could not be asked)"));
            Assert.That(MissingIndexRule.Coverage(exporterOnly, reachable), Is.EqualTo(
                "missing_index: EXPLAIN only; postgres_exporter exports no table statistics (start it with --extend.query-path=/usr/share/doc/prometheus-postgres-exporter/examples/queries.yaml)"));
            Assert.That(MissingIndexRule.Coverage(DiscoveredMetrics.None, null), Is.EqualTo(
                "missing_index: not checked (no table statistics from postgres_exporter, and no --database-url to EXPLAIN the slowest statements)"));
        });
    }

    [Test]
    public void TableQueries_RecordedExporterNames_AskTheWindowIncrease()
    {
        var discovered = MetricDiscovery.Discover(PrometheusTextParser.Parse(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "postgres", "exporter_metrics.txt"))));
        var q = TableQueries.For(discovered.TableStats!, (m, _) => m, "15m");

        Assert.That(q.SeqScans, Is.EqualTo("sum by (server, datname, schemaname, relname) (increase(pg_stat_user_tables_seq_scan[15m]))"));
        Assert.That(q.LiveRows, Is.EqualTo("max by (server, datname, schemaname, relname) (last_over_time(pg_stat_user_tables_n_live_tup[15m]))"));
    }
}
