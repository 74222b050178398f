using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using PerfTools.BottleneckDetector;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports.Detector;

namespace PerfTools.Tests.BottleneckDetector.App;

/// <summary>The database as a third source: its status line, its sections, the exit code over three sources, the
/// findings report; then the real SQLite side against a real file.</summary>
public class DetectorDatabaseTests
{
    private string _folder = null!;
    private string _sqlite = null!;

    private static readonly Finding MissingIndex = new("missing_index", Severity.Warning, "comments", 1000, "rows", 500,
        "EXPLAIN QUERY PLAN of 'SELECT * FROM comments WHERE post_id = @post_id': SCAN comments", "create the index the plan lacks: CREATE INDEX idx_comments_post_id ON comments (post_id);");

    [SetUp]
    public void CreateFile()
    {
        _folder = Directory.CreateTempSubdirectory("bd-database-").FullName;
        _sqlite = Path.Combine(_folder, "forum.db");
        File.WriteAllBytes(_sqlite, []);
    }

    [TearDown]
    public void DeleteFile()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task RunAsync_NoDatabaseUrl_SaysNotGivenAndHowAskingNothing()
    {
        var database = new FakeDatabaseAnalyzer(FakeDatabaseAnalyzer.Reachable("x"));
        using var run = await DetectorRun.StartAsync(Metrics(), Traces(), database, CancellationToken.None);

        string json = File.ReadAllText(run.Report("bottleneck_findings_", ".json")!);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(run.Stdout, Does.Contain("\nDatabase: not given\n  add --database-url (a postgres:// URL or a SQLite file) to EXPLAIN the slowest statements, read-only, for missing indexes\n"));
            Assert.That(database.Calls, Is.Zero, "nothing asked without --database-url");
            Assert.That(json, Does.Not.Contain("\"database\""), "the findings report as before");
            Assert.That(FindingsJson.ReadFile(run.Report("bottleneck_findings_", ".json")!).Database, Is.Null);
        });
    }

    [Test]
    public async Task RunAsync_DatabaseAnswers_StatusLineItsLinesFindingInDatabaseUsage()
    {
        var database = new FakeDatabaseAnalyzer(FakeDatabaseAnalyzer.Reachable(_sqlite, MissingIndex));
        using var run = await DetectorRun.StartAsync(Metrics(), Traces(), database, CancellationToken.None, "--database-url", _sqlite);

        var summary = FindingsJson.ReadFile(run.Report("bottleneck_findings_", ".json")!);
        string html = File.ReadAllText(run.Report("bottleneck_report_", ".html")!);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(run.Stdout, Does.Contain($"\nDatabase {_sqlite}: reachable, SQLite 3.40.1\n  server: SQLite 3.40.1 (file, opened read-only)\n  statements: 1 SELECT(s)"));
            Assert.That(run.Section("Database usage"), Does.Contain("[warning] comments: missing_index 1000 rows (threshold 500 rows)"));
            Assert.That(summary.Database, Is.EqualTo(new SourceStatus(_sqlite, SourceState.Reachable, "SQLite 3.40.1")));
            Assert.That(summary.Findings, Does.Contain(MissingIndex));
            Assert.That(html, Does.Contain("<td>Database</td>").And.Contain("missing_index"));
        });
    }

    [Test]
    public async Task RunAsync_DatabaseUnreachable_SaidOnceWithItsFixSectionPartlyNotChecked()
    {
        var database = new FakeDatabaseAnalyzer(FakeDatabaseAnalyzer.Unreachable(
            "postgres://forum:***@127.0.0.1:5999/forum", "cannot connect to PostgreSQL at 127.0.0.1:5999 (connection refused: nothing listens there)",
            "start it, or pass the right HOST:PORT in --database-url"));
        using var run = await DetectorRun.StartAsync(Metrics(), Traces(), database, CancellationToken.None, "--database-url", "postgres://forum:pw-1234@127.0.0.1:5999/forum");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), "Prometheus and Jaeger answered: " + run);
            Assert.That(run.Stdout, Does.Contain(
                "\nDatabase postgres://***@127.0.0.1:5999/forum: unreachable (cannot connect to PostgreSQL at 127.0.0.1:5999 (connection refused: nothing listens there))\n" +
                "  start it, or pass the right HOST:PORT in --database-url\n"));
            Assert.That(Regex.Matches(run.Stdout, "connection refused").Count, Is.EqualTo(1), "the reason is said once");
            Assert.That(run.Section("Database usage"), Does.Contain("partly not checked (database unreachable)"));
            Assert.That(run.Section("Slow endpoints"), Does.Not.Contain("partly not checked (database unreachable)"), "only the section that reads it");
            Assert.That(run.Stdout + run.Stderr, Does.Not.Contain("pw-1234"));
        });
    }

    [Test]
    public async Task RunAsync_OnlyTheDatabaseAnswers_NotExit3()
    {
        var database = new FakeDatabaseAnalyzer(FakeDatabaseAnalyzer.Reachable(_sqlite, MissingIndex));
        using var run = await DetectorRun.StartAsync(new FakeMetricsAnalyzer(), new FakeTracesAnalyzer(), database, CancellationToken.None,
            "--database-url", _sqlite, "--fail-on", "critical");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
        Assert.That(run.Section("Next steps"), Has.None.Contains("nothing could be checked"));
    }

    [Test]
    public async Task RunAsync_NoSourceAnswers_Exit3WithTheDatabaseToo()
    {
        var database = new FakeDatabaseAnalyzer(FakeDatabaseAnalyzer.Unreachable(_sqlite, "cannot read SQLite database", "pass a readable SQLite database file as --database-url"));
        using var run = await DetectorRun.StartAsync(new FakeMetricsAnalyzer(), new FakeTracesAnalyzer(), database, CancellationToken.None, "--database-url", _sqlite);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.SourcesUnreachable), run.ToString());
        Assert.That(run.Section("Next steps"), Is.EqualTo(new[] { "- nothing could be checked: reach the sources first (how is said under each at the top)" }));
        Assert.That(File.ReadAllText(run.Report("bottleneck_report_", ".html")!), Does.Contain("none of Prometheus, Jaeger and the database could be reached"));
    }

    [Test]
    public async Task RunAsync_DatabaseOffered_TheTracesStatements()
    {
        var statement = new TraceStatement("SELECT * FROM comments WHERE post_id = @post_id", "sqlite", "forum", 12, 840);
        var traces = new FakeTracesAnalyzer(FakeTracesAnalyzer.Reachable([]) with { Statements = [statement] });
        var database = new FakeDatabaseAnalyzer(FakeDatabaseAnalyzer.Reachable(_sqlite), readTraces: true);

        using var run = await DetectorRun.StartAsync(Metrics(), traces, database, CancellationToken.None, "--database-url", _sqlite);

        Assert.That(database.TraceStatements, Is.EqualTo(new[] { statement }), run.ToString());
    }

    [Test]
    public async Task RunAsync_RealSqliteFileWithoutTheIndex_SuggestsItThenNothingOnceBuilt()
    {
        // The forum's comments on SQLite, 2,000 rows: the traces' statement scans the table until the index exists.
        await using (var connection = new SqliteConnection($"Data Source={_sqlite}"))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL, content TEXT, author TEXT, created_at TEXT);
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
                INSERT INTO comments (post_id, content, author, created_at) SELECT i % 97, 'c', 'a', '2026' FROM n;
                """;
            await create.ExecuteNonQueryAsync();
        }

        var statement = new TraceStatement("SELECT id, post_id, content, author, created_at FROM comments WHERE post_id = @post_id ORDER BY id", "sqlite", "forum", 12, 840);
        var traces = new FakeTracesAnalyzer(FakeTracesAnalyzer.Reachable([]) with { Statements = [statement] });
        long before = new FileInfo(_sqlite).Length;

        using var run = await DetectorRun.StartAsync(Metrics(), traces, null, CancellationToken.None, "--database-url", _sqlite);

        var finding = FindingsJson.ReadFile(run.Report("bottleneck_findings_", ".json")!).Findings.Single(f => f.Rule == "missing_index");
        Assert.Multiple(() =>
        {
            Assert.That(finding.Target, Is.EqualTo("comments"), run.ToString());
            Assert.That(finding.Value, Is.EqualTo(2000));
            Assert.That(finding.Recommendation, Does.EndWith("create the index the plan lacks: CREATE INDEX idx_comments_post_id ON comments (post_id);"));
            Assert.That(finding.Evidence, Does.Contain("SCAN comments (no index; WHERE post_id = @post_id)"));
            Assert.That(run.Stdout, Does.Contain($"Database {_sqlite}: reachable, SQLite "));
            Assert.That(new FileInfo(_sqlite).Length, Is.EqualTo(before), "read-only: the file is not written");
        });

        await using (var connection = new SqliteConnection($"Data Source={_sqlite}"))
        {
            await connection.OpenAsync();
            await using var index = connection.CreateCommand();
            index.CommandText = "CREATE INDEX idx_comments_post_id ON comments (post_id)";
            await index.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        using var after = await DetectorRun.StartAsync(Metrics(), traces, null, CancellationToken.None, "--database-url", _sqlite);

        Assert.That(FindingsJson.ReadFile(after.Report("bottleneck_findings_", ".json")!).Findings.Where(f => f.Rule == "missing_index"), Is.Empty, after.ToString());
    }

    private static FakeMetricsAnalyzer Metrics() => new(FakeMetricsAnalyzer.Reachable([]));

    private static FakeTracesAnalyzer Traces() => new(FakeTracesAnalyzer.Reachable([]));
}
