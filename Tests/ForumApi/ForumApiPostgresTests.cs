using System.Globalization;
using System.Text.RegularExpressions;
using ForumApi.Data;
using static PerfTools.Tests.ForumApi.ForumHttp;

namespace PerfTools.Tests.ForumApi;

/// <summary>
/// What only PostgreSQL mode has: the 200,000-comment seed and what happens on a reused database, Npgsql's own pool
/// metrics on /metrics, the password kept secret, and the start failures that need a real server. One throwaway
/// cluster for the fixture; tests restart forum_api on it as a user reusing a database would.
/// </summary>
[TestFixture]
[Category("Slow")]
public sealed partial class ForumApiPostgresTests
{
    private const int Seed = 5;

    private ForumBackendApi _backend = null!;
    private string _seedLine = "";

    [OneTimeSetUp]
    public async Task StartClusterAndSeed()
    {
        _backend = await ForumBackendApi.CreateAsync(ForumBackend.Postgres);
        var api = await _backend.RestartAsync(seed: Seed);
        _seedLine = SeedLine().Match(api.ToString()).Value;
        await TestContext.Out.WriteLineAsync(_seedLine);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_backend is not null)
            await _backend.DisposeAsync();
    }

    [Test]
    public async Task Seed_Five_AtLeast200000CommentsAndTheLineSaysHowLongItTook()
    {
        var match = SeedLine().Match(_seedLine);
        Assert.That(match.Success, Is.True, $"no seed line in:\n{_backend.Api}");
        var comments = await CountAsync("comments");

        using (Assert.EnterMultipleScope())
        {
            // 5 visible boards plus 5 x 50 archive boards of 20 posts with 40 comments each.
            Assert.That(Number(match, "boards"), Is.EqualTo(Seed + (Seed * ForumSeeder.ArchiveBoardsPerSeed)));
            Assert.That(Number(match, "comments"), Is.GreaterThanOrEqualTo(200_000));
            Assert.That(comments, Is.EqualTo(Number(match, "comments")));
            Assert.That(double.Parse(match.Groups["seconds"].Value, CultureInfo.InvariantCulture), Is.GreaterThan(0));
        }
    }

    [Test]
    public async Task Seed_FirstArchiveBoard_TwentyPostsOfFortyCommentsEach()
    {
        using var client = Client();
        var archiveBoard = Seed + 1; // the first board after the visible ones

        using var response = await client.GetAsync($"boards/{archiveBoard}/posts");
        var posts = (await ReadJsonAsync(response))["data"]!.AsArray();

        Assert.That(posts, Has.Count.EqualTo(ForumSeeder.ArchivePostsPerBoard));
        Assert.That(posts.Select(p => (long)p!["comment_count"]!), Is.All.EqualTo(ForumSeeder.ArchiveCommentsPerPost));
    }

    [Test]
    public async Task Seed_ReusedDatabase_SkippedAndNothingDuplicated()
    {
        var before = await CountAsync("comments");

        var api = await _backend.RestartAsync(seed: Seed);

        Assert.That(api.ToString(), Does.Contain($"forum_api: --seed {Seed} skipped: the database already holds {Seed * (1 + ForumSeeder.ArchiveBoardsPerSeed)} boards"));
        Assert.That(await CountAsync("comments"), Is.EqualTo(before));
    }

    [Test]
    public async Task Index_ReusedDatabase_CreatedByFixedAndDroppedAgainWithout()
    {
        await _backend.RestartAsync(fixedMode: true);
        var withIndex = await IndexExistsAsync();
        await _backend.RestartAsync(fixedMode: false);
        var afterNormal = await IndexExistsAsync();

        Assert.That((withIndex, afterNormal), Is.EqualTo((true, false)));
    }

    [Test]
    public async Task Metrics_AfterTraffic_NpgsqlPoolAndCommandMetricsUnderTheirDocumentedNames()
    {
        using var client = Client();
        (await client.GetAsync("boards/1/posts")).Dispose();
        (await client.GetAsync("posts/1/comments")).Dispose();

        var text = await client.GetStringAsync("metrics");
        var samples = PrometheusText.Parse(text);
        const string pool = "db_client_connection_pool_name";

        using (Assert.EnterMultipleScope())
        {
            // The pool is warmed to its full size at start and kept there (Minimum Pool Size = Maximum Pool Size).
            Assert.That(PrometheusText.Sum(samples, "npgsql_db_client_connection_count", (pool, "forum")), Is.EqualTo(10));
            Assert.That(samples.Where(s => s.Name == "npgsql_db_client_connection_count").Select(s => s.Labels["db_client_connection_state"]),
                Is.EquivalentTo(new[] { "idle", "used" }));
            Assert.That(PrometheusText.Sum(samples, "npgsql_db_client_connection_max", (pool, "forum")), Is.EqualTo(10));
            Assert.That(PrometheusText.Sum(samples, "npgsql_db_client_connection_npgsql_create_time_count", (pool, "forum")), Is.GreaterThanOrEqualTo(10));
            // Npgsql's advised buckets (1 ms .. 10 s), not prometheus-net's default that starts at 10 ms.
            Assert.That(samples.Any(s => s.Name == "npgsql_db_client_connection_npgsql_create_time_bucket" && s.Labels["le"] == "0.001"), Is.True);
            Assert.That(PrometheusText.Sum(samples, "npgsql_db_client_operation_duration_count", ("db_system_name", "postgresql")), Is.GreaterThan(0));
            Assert.That(PrometheusText.Sum(samples, "npgsql_db_client_operation_npgsql_bytes_read", (pool, "forum")), Is.GreaterThan(0));
            Assert.That(PrometheusText.Sum(samples, "npgsql_db_client_operation_npgsql_bytes_written", (pool, "forum")), Is.GreaterThan(0));
            Assert.That(samples.Select(s => s.Name), Has.Member("npgsql_db_client_operation_npgsql_executing"));
            Assert.That(PrometheusText.Sum(samples, "forum_db_queries_total", ("route", "/boards/{id}/posts"), ("operation", "SELECT")), Is.GreaterThanOrEqualTo(2));
            Assert.That(text, Does.Contain("# TYPE npgsql_db_client_connection_count gauge"));
        }
    }

    [Test]
    public async Task Secrets_PasswordInUrl_MaskedOnTheStartupLineAndAbsentFromMetrics()
    {
        using var client = Client();
        var metrics = await client.GetStringAsync("metrics");
        var output = _backend.Api.ToString();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(output, Does.Contain("(db: postgres://postgres:***@127.0.0.1:"));
            Assert.That(output, Does.Not.Contain(_backend.Server!.Password));
            Assert.That(metrics, Does.Not.Contain(_backend.Server.Password));
        }
    }

    [Test]
    public async Task Start_WrongPassword_Exits1NamingTheUserNotThePassword()
    {
        var run = await ForumApiRun.RunAsync(["--db", _backend.Server!.UrlWithPassword("pw-s3cret")]);

        ForumApiStartFailureTests.AssertOneLineFailure(run, 1,
            $"PostgreSQL at 127.0.0.1:{_backend.Server.Port} rejected user 'postgres' (password authentication failed", "check USER and PASSWORD in --db");
    }

    [Test]
    public async Task Start_MissingDatabase_Exits1SayingHowToCreateIt()
    {
        var run = await ForumApiRun.RunAsync(["--db", _backend.Server!.Url.Replace("/forum", "/no_such_db", StringComparison.Ordinal)]);

        ForumApiStartFailureTests.AssertOneLineFailure(run, 1, "has no database 'no_such_db'", "create it (createdb");
        Assert.That(run.Stderr, Does.Not.Contain(_backend.Server.Password));
    }

    private HttpClient Client() => new() { BaseAddress = _backend.Api.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };

    private Task<long> CountAsync(string table) =>
        _backend.WithDbAsync((db, c) => db.ScalarAsync(c, $"SELECT COUNT(*) FROM {table}"));

    private async Task<bool> IndexExistsAsync() =>
        await _backend.WithDbAsync((db, c) => db.ScalarAsync(c,
            "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'comments' AND indexname = @name", ("@name", ForumSchema.CommentsPostIdIndex))) == 1;

    private static long Number(Match match, string group) =>
        long.Parse(match.Groups[group].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"forum_api: seeded (?<boards>[\d,]+) boards, (?<posts>[\d,]+) posts, (?<comments>[\d,]+) comments in (?<seconds>\d+\.\d+) s")]
    private static partial Regex SeedLine();
}
