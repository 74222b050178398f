using System.Text;
using PerfTools.BottleneckSimulator.Scenarios;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports.Simulation;
using PerfTools.Tests.Http;

namespace PerfTools.Tests.BottleneckSimulator;

/// <summary><c>missing_index</c> against a loopback server standing in for the sample: how setup finds a post (or makes
/// one), the two routes taking turns at the rate, each reported on its own, and a failed setup. Its effect on a real
/// table is measured in <see cref="SimulatorPostgresTests"/>.</summary>
public sealed class MissingIndexScenarioTests
{
    [Test]
    public async Task RunAsync_BoardsWithPosts_PostWithMostCommentsAndItsBoardTakingTurns()
    {
        await using var server = LoopbackServer.Start(ctx => ctx.Request.Target switch
        {
            "/boards?page=1&limit=20" => ctx.RespondAsync(200, "{\"data\":[{\"id\":1},{\"id\":2},{\"id\":3}],\"meta\":{\"page\":1}}"),
            "/boards/1/posts" => ctx.RespondAsync(200, "{\"data\":[]}"),
            "/boards/2/posts" => ctx.RespondAsync(200,
                "{\"data\":[{\"id\":5,\"comment_count\":0},{\"id\":6,\"comment_count\":3},{\"id\":7,\"comment_count\":3}]}"),
            "/posts/6/comments" => ctx.RespondAsync(200, "{\"data\":[]}"),
            _ => ctx.RespondAsync(404, "{}"),
        });

        using var run = await SimulatorRun.StartAsync(
            "--base-url", server.BaseUrl.ToString(), "--scenario", "missing_index", "--duration", "2", "--rps", "10");

        SimulationStats stats = SimulationJson.ReadFile(run.Report("missing_index", "json") ?? throw new AssertionException(run.ToString()));
        IReadOnlyList<SecondStats> seconds = SimulationCsv.ReadFile(run.Report("missing_index", "csv")!);
        string[] targets = server.Requests.Select(r => r.Target).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(targets.Take(5), Is.EqualTo(new[]
            {
                "/boards?page=1&limit=20", "/boards/1/posts", "/boards/2/posts", // setup stops at the first board with comments
                "/posts/6/comments", "/boards/2/posts", // then the two routes take turns, comments first
            }));
            Assert.That(targets, Has.None.EqualTo("/boards/3/posts"));
            Assert.That(server.Requests.Select(r => r.Method), Is.All.EqualTo("GET"), "nothing created");
            Assert.That(stats.Requests, Is.EqualTo(20));
            Assert.That(stats.TargetRps, Is.EqualTo(10));
            Assert.That(stats.Routes.Select(r => (r.Label, r.Headline, r.Requests, r.Ok)), Is.EqualTo(new[]
            {
                (MissingIndexScenario.PostsLabel, true, 10L, 10L), (MissingIndexScenario.CommentsLabel, true, 10L, 10L),
            }));
            Assert.That(seconds.Select(s => s.Sent), Is.EqualTo(new long[] { 10, 10 }), "evenly spaced");
            Assert.That(run.Stdout, Does.Contain("by route").And.Contain("    GET /posts/{id}/comments  10 requests, 10 ok, 0 errors"));
        });
    }

    [Test]
    public async Task RunAsync_NoBoardHasPosts_CreatesBoardPostAndCommentsThenLoadsThem()
    {
        int nextId = 100;
        await using var server = LoopbackServer.Start(ctx => ctx.Request.Method == "POST"
            ? ctx.RespondAsync(201, $"{{\"id\":{Interlocked.Increment(ref nextId)}}}")
            : ctx.Request.Target switch
            {
                "/boards?page=1&limit=20" => ctx.RespondAsync(200, "{\"data\":[{\"id\":1}]}"),
                "/boards/1/posts" or "/boards/101/posts" or "/posts/102/comments" => ctx.RespondAsync(200, "{\"data\":[]}"),
                _ => ctx.RespondAsync(404, "{}"),
            });

        using var run = await SimulatorRun.StartAsync(
            "--base-url", server.BaseUrl.ToString(), "--scenario", "missing_index", "--duration", "1", "--rps", "4");

        var comments = server.Requests.Where(r => r.Target == "/comments").Select(r => Encoding.UTF8.GetString(r.Body)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
            Assert.That(server.Requests.Where(r => r.Method == "POST").Select(r => r.Target),
                Is.EqualTo(new[] { "/boards", "/posts", "/comments", "/comments", "/comments" }));
            Assert.That(Encoding.UTF8.GetString(server.Requests.Single(r => r.Target == "/posts").Body), Does.Contain("\"board_id\":101"));
            Assert.That(comments, Has.All.Contain("\"post_id\":102"));
            Assert.That(server.Requests.Count(r => r.Target == "/posts/102/comments"), Is.EqualTo(2));
            Assert.That(server.Requests.Count(r => r.Target == "/boards/101/posts"), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task RunAsync_NoBoardList_SkippedWithTheSetupFailure()
    {
        await using var server = LoopbackServer.Start(404, "{}");

        using var run = await SimulatorRun.StartAsync(
            "--base-url", server.BaseUrl.ToString(), "--scenario", "missing_index", "--duration", "2");

        Assert.Multiple(() =>
        {
            Assert.That(run.Stdout, Does.Contain("missing_index: skipped: setup GET /boards?page=1&limit=20 failed: HTTP 404 Not Found"), run.ToString());
            Assert.That(server.Requests, Has.Count.EqualTo(1));
            Assert.That(run.Report("missing_index", "json"), Is.Null);
        });
    }
}
