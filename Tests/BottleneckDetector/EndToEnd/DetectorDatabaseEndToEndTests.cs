using Npgsql;
using PerfTools.BottleneckDetector;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports.Detector;
using PerfTools.Tests.Fakes;

namespace PerfTools.Tests.BottleneckDetector.EndToEnd;

/// <summary><c>--database-url</c> against a real PostgreSQL 15: the sample API seeded with 200,000 comments and no index
/// on comments.post_id, its statements in pg_stat_statements; the detector EXPLAINs them read-only and names the
/// missing index, with hypopg says by how much it cuts the cost, and finds nothing once the index exists. In order:
/// the cases share one cluster.</summary>
[TestFixture]
[Category("Slow")]
[NonParallelizable]
public class DetectorDatabaseEndToEndTests
{
    private PostgresServer _server = null!;
    private ForumApiProcess _api = null!;
    private string _closed = null!;
    private bool _hypopgAvailable;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await PostgresServer.StartAsync();
        _api = await ForumApiProcess.StartAsync(fixedMode: false, seed: 5, "--db", _server.Url);
        using var http = new HttpClient { BaseAddress = _api.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        // The routes that read comments by post: the list (bottleneck 4) and the per-post counts (bottleneck 2).
        for (int i = 1; i <= 3; i++)
        {
            (await http.GetAsync($"posts/{i}/comments")).EnsureSuccessStatusCode();
            (await http.GetAsync("boards/1/posts")).EnsureSuccessStatusCode();
        }

        _closed = $"http://127.0.0.1:{PerformanceAnalyzer.AnalyzerRun.ClosedPort()}/";
        _hypopgAvailable = await ScalarAsync("SELECT count(*) FROM pg_available_extensions WHERE name = 'hypopg'") > 0;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    [Order(1)]
    public async Task RunAsync_StatementsInPgStatStatements_FindsTheMissingIndexWithoutWriting()
    {
        long indexesBefore = await ScalarAsync("SELECT count(*) FROM pg_indexes WHERE tablename = 'comments'");

        var (code, stdout, summary) = await DetectAsync(_server.Url);

        var finding = summary.Findings.Single(f => f.Rule == "missing_index");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), stdout);
            Assert.That(stdout, Does.Contain($"Database postgres://***@127.0.0.1:{_server.Port}/forum: reachable, PostgreSQL 15"));
            Assert.That(stdout, Does.Contain("from pg_stat_statements, most total time first").And.Contain("as generic plans (PREPARE"));
            Assert.That(stdout, Does.Contain(_hypopgAvailable
                ? "hypopg: installed on the server but not created in this database"
                : "hypopg: not installed (Debian: postgresql-NN-hypopg"));
            Assert.That(finding.Target, Is.EqualTo("forum.public.comments"));
            Assert.That(finding.Value, Is.GreaterThan(190_000), "the seed's 200,056 comments, as the planner estimates them");
            Assert.That(finding.Evidence, Does.Contain("Seq Scan on comments, Filter (post_id = $1)"));
            Assert.That(finding.Recommendation, Does.EndWith("create the index the plan lacks: CREATE INDEX CONCURRENTLY idx_comments_post_id ON public.comments (post_id);"));
            Assert.That(finding.NextSteps, Has.Some.Contains("CREATE EXTENSION hypopg"));
            Assert.That(summary.Database!.State, Is.EqualTo(SourceState.Reachable));
            Assert.That(stdout, Does.Not.Contain(_server.Password));
        });
        Assert.That(await ScalarAsync("SELECT count(*) FROM pg_indexes WHERE tablename = 'comments'"), Is.EqualTo(indexesBefore), "nothing was created");
    }

    [Test]
    [Order(2)]
    public async Task RunAsync_WithHypopg_SaysByHowMuchTheIndexCutsTheCost()
    {
        if (!_hypopgAvailable)
        {
            // ./test installs it (postgresql-NN-hypopg) when run as root.
            var message = "hypopg is not installed on this PostgreSQL (Debian: postgresql-NN-hypopg)";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(message + " (CI=true: a missing hypopg fails the run instead of skipping this test)");
            }

            Assert.Ignore(message);
        }

        await ExecuteAsync("CREATE EXTENSION IF NOT EXISTS hypopg");

        var (_, stdout, summary) = await DetectAsync(_server.Url);

        var finding = summary.Findings.Single(f => f.Rule == "missing_index");
        Assert.That(stdout, Does.Contain("hypopg: present; each suggested index is checked as a hypothetical index"));
        Assert.That(finding.Recommendation, Does.Match(@"an index on them, tried as a hypothetical index \(hypopg\), cuts the plan's cost from [0-9.]+ to [0-9.]+ \(-([5-9][0-9]|100) %\)"));
        Assert.That(finding.Evidence, Does.Contain("hypothetical index CREATE INDEX ON public.comments (post_id): "));
        Assert.That(await ScalarAsync("SELECT count(*) FROM hypopg_list_indexes"), Is.Zero, "the hypothetical index lived in the detector's session only");
    }

    [Test]
    [Order(3)]
    public async Task RunAsync_AfterCreateIndex_NothingMissing()
    {
        await ExecuteAsync("CREATE INDEX idx_comments_post_id ON comments (post_id)");
        await ExecuteAsync("ANALYZE comments");

        var (_, stdout, summary) = await DetectAsync(_server.Url);

        Assert.That(summary.Findings.Where(f => f.Rule == "missing_index"), Is.Empty, stdout);
        Assert.That(stdout, Does.Contain("EXPLAINed without running them"));
    }

    [Test]
    [Order(4)]
    public async Task RunAsync_WrongPassword_OneLineWithTheFixPasswordNowhere()
    {
        const string wrong = "not-the-PASSWORD-5d1c";

        var (code, stdout, summary) = await DetectAsync(_server.UrlWithPassword(wrong));

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.SourcesUnreachable), "no source answered: " + stdout);
            Assert.That(stdout, Does.Contain(
                $"Database postgres://***@127.0.0.1:{_server.Port}/forum: unreachable (PostgreSQL at 127.0.0.1:{_server.Port} rejected user 'postgres' " +
                "(password authentication failed for user \"postgres\"))\n  check USER and PASSWORD in --database-url (or PGPASSWORD)\n"));
            Assert.That(summary.Database!.State, Is.EqualTo(SourceState.Unreachable));
            Assert.That(stdout, Does.Not.Contain(wrong).And.Not.Contain(_server.Password));
        });
    }

    private async Task<(int Code, string Stdout, DetectionSummary Summary)> DetectAsync(string databaseUrl)
    {
        string folder = Directory.CreateTempSubdirectory("bd-db-e2e-").FullName;
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            int code = await DetectorApp.RunAsync(
                ["--prometheus-url", _closed, "--jaeger-url", _closed, "--database-url", databaseUrl, "--output", folder, "--timeout", "10", "--fail-on", "none"],
                stdout, stderr, CancellationToken.None);
            await TestContext.Out.WriteLineAsync(stdout.ToString());
            await TestContext.Out.WriteLineAsync(stderr.ToString());
            return (code, stdout.ToString(), FindingsJson.ReadFile(Directory.GetFiles(folder, "bottleneck_findings_*.json").Single()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private string ConnectionString() => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = _server.Port, Database = "forum", Username = "postgres", Password = _server.Password, Pooling = false,
    }.ConnectionString;
}
