using System.Diagnostics;
using System.Text.Json.Nodes;
using static PerfTools.Tests.ForumApi.ForumHttp;

namespace PerfTools.Tests.ForumApi;

/// <summary>
/// Each deliberate bottleneck measured from outside the process, in normal mode (present) and with --fixed (gone), on
/// SQLite and on PostgreSQL. The numbers asserted here are the ones samples/ForumApi/README.md documents.
/// </summary>
[TestFixture(ForumBackend.Sqlite, false)]
[TestFixture(ForumBackend.Sqlite, true)]
[TestFixture(ForumBackend.Postgres, false, Category = "Slow")]
[TestFixture(ForumBackend.Postgres, true, Category = "Slow")]
public sealed class ForumApiBottleneckTests(ForumBackend backend, bool fixedMode)
{
    private const string BoardPostsRoute = "/boards/{id}/posts";
    private const string CommentsByPost = "SELECT id, post_id, content, author, created_at FROM comments WHERE post_id = @post_id ORDER BY id";

    private ForumBackendApi _backend = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartApi()
    {
        // On PostgreSQL --seed 3 also loads 120,000 archive comments: enough for the planner to prefer the index.
        _backend = await ForumBackendApi.StartAsync(backend, fixedMode, seed: 3);
        _client = new HttpClient { BaseAddress = _backend.Api.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        _client?.Dispose();
        if (_backend is not null)
            await _backend.DisposeAsync();
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
    public async Task CommentsByPost_QueryPlan_ScansWithoutIndexSearchesWithIt()
    {
        var plan = await _backend.WithDbAsync((db, c) => db.ExplainAsync(c, CommentsByPost, ("@post_id", 1L)));

        await TestContext.Out.WriteLineAsync(plan);
        if (backend == ForumBackend.Sqlite)
        {
            if (fixedMode)
                Assert.That(plan, Does.Contain("SEARCH comments USING INDEX idx_comments_post_id"));
            else
                Assert.That(plan, Does.Contain("SCAN comments").And.Not.Contain("USING INDEX"));
            return;
        }

        var nodes = PlanNodes(JsonNode.Parse(plan)![0]!["Plan"]!).Where(n => (string?)n["Relation Name"] == "comments" || n["Index Name"] is not null).ToList();
        var seqScans = nodes.Where(n => (string?)n["Node Type"] == "Seq Scan" && ((string?)n["Filter"] ?? "").Contains("post_id")).ToList();
        var indexNodes = nodes.Where(n => (string?)n["Index Name"] == "idx_comments_post_id").ToList();
        using (Assert.EnterMultipleScope())
        {
            if (fixedMode)
            {
                Assert.That(indexNodes, Is.Not.Empty, "an Index Scan or Bitmap Index Scan on idx_comments_post_id");
                Assert.That(seqScans, Is.Empty, "no Seq Scan on comments");
            }
            else
            {
                Assert.That(seqScans, Is.Not.Empty, "a Seq Scan on comments with a post_id filter");
                Assert.That(indexNodes, Is.Empty, "no index on comments.post_id");
            }
        }
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

    /// <summary>Every node of an EXPLAIN (FORMAT JSON) plan tree, depth first.</summary>
    private static IEnumerable<JsonNode> PlanNodes(JsonNode node)
    {
        yield return node;
        foreach (var child in node["Plans"]?.AsArray() ?? [])
        {
            foreach (var descendant in PlanNodes(child!))
                yield return descendant;
        }
    }
}
