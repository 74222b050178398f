using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using PerfTools.Tests.Fakes;
using static PerfTools.Tests.ForumApi.ForumHttp;

namespace PerfTools.Tests.ForumApi;

/// <summary>
/// Each deliberate bottleneck measured from outside the process, in normal mode (present) and with --fixed (gone).
/// The numbers asserted here are the ones samples/ForumApi/README.md documents.
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
public sealed class ForumApiBottleneckTests(bool fixedMode)
{
    private const string BoardPostsRoute = "/boards/{id}/posts";

    private string _dir = null!;
    private string _dbPath = null!;
    private ForumApiProcess _api = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartApi()
    {
        _dir = Directory.CreateTempSubdirectory("forum_api_test_").FullName;
        _dbPath = Path.Combine(_dir, "forum.db");
        _api = await ForumApiProcess.StartAsync(fixedMode, seed: 3, "--db", _dbPath);
        _client = new HttpClient { BaseAddress = _api.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        _client.Dispose();
        await _api.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task GetBoardPosts_BoardWithSixPosts_QueryCountIsNPlusTwoOrConstantWhenFixed()
    {
        const int posts = 6;
        var boardId = await CreateBoardAsync(_client);
        for (var i = 0; i < posts; i++)
            await CreateCommentAsync(_client, await CreatePostAsync(_client, boardId));

        var before = PrometheusText.Sum(await ScrapeAsync(_client), "forum_db_queries_total", ("route", BoardPostsRoute));
        using var response = await _client.GetAsync($"boards/{boardId}/posts");
        response.EnsureSuccessStatusCode();
        var after = PrometheusText.Sum(await ScrapeAsync(_client), "forum_db_queries_total", ("route", BoardPostsRoute));

        // Normal: board check + posts query + one COUNT per post. Fixed: board check + one JOIN/GROUP BY.
        var expected = fixedMode ? 2 : posts + 2;
        Assert.That(after - before, Is.EqualTo(expected));
    }

    [Test]
    public async Task CreateBoards_300With10KbDescriptions_HeapGrowsOnlyWithoutFixed()
    {
        const int boards = 300;
        var description = new string('x', 10_000);
        var heapBefore = await LiveHeapBytesAsync();

        for (var i = 0; i < boards; i++)
            await CreateBoardAsync(_client, $"leak {i}", description);
        var heapAfter = await LiveHeapBytesAsync();

        // 300 bodies of ~10 KB, kept as UTF-16 strings, are ~6 MB; without the leak nothing of them stays live.
        var grownMb = (heapAfter - heapBefore) / 1_048_576.0;
        await TestContext.Out.WriteLineAsync($"fixed={fixedMode}: live heap {heapBefore} -> {heapAfter} bytes ({grownMb:F2} MB)");
        if (fixedMode)
            Assert.That(grownMb, Is.LessThan(1.5), $"live heap grew {grownMb:F2} MB with --fixed");
        else
            Assert.That(grownMb, Is.GreaterThan(3.0), $"live heap grew only {grownMb:F2} MB with the leak on");
    }

    [Test]
    public void CommentsByPost_QueryPlan_ScansWithoutIndexSearchesWithIt()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _dbPath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN SELECT id, post_id, content, author, created_at FROM comments WHERE post_id = 1 ORDER BY id";
        using var reader = command.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read())
            plan.Add(reader.GetString(3)); // columns: id, parent, notused, detail

        var text = string.Join(" | ", plan);
        if (fixedMode)
            Assert.That(text, Does.Contain("SEARCH comments USING INDEX idx_comments_post_id"));
        else
            Assert.That(text, Does.Contain("SCAN comments").And.Not.Contain("USING INDEX"));
    }

    [Test]
    public async Task Slow_Get_TakesAboutHalfASecondUnlessFixed()
    {
        (await _client.GetAsync("slow")).Dispose(); // warm-up: JIT and connection set-up are not the bottleneck

        var timings = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await _client.GetAsync("slow");
            response.EnsureSuccessStatusCode();
            timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        await TestContext.Out.WriteLineAsync($"fixed={fixedMode}: /slow took {string.Join(", ", timings.Select(t => t.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))} ms");
        if (fixedMode)
            Assert.That(timings.Min(), Is.LessThan(100), string.Join(", ", timings));
        else
            Assert.That(timings.Min(), Is.GreaterThanOrEqualTo(450), string.Join(", ", timings));
    }

    /// <summary>Managed heap still live after a full collection in the server, as POST /debug/gc reports it.</summary>
    private async Task<long> LiveHeapBytesAsync()
    {
        using var response = await _client.PostAsync("debug/gc", null);
        response.EnsureSuccessStatusCode();
        return (long)(await ReadJsonAsync(response))["heap_bytes"]!;
    }
}
