using System.Globalization;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Http;

namespace PerfTools.BottleneckSimulator.Scenarios;

/// <summary><c>missing_index</c>: the two routes that filter comments by post, <c>GET /posts/{id}/comments</c> and
/// <c>GET /boards/{id}/posts</c> (which counts each post's comments), taking turns at <c>--rps</c>, evenly spaced,
/// for a post that exists and its board. Without an index on <c>comments.post_id</c> (the sample's bottleneck 4) every
/// one of those reads scans the whole table, so both routes cost what the table's size costs.</summary>
/// <remarks>
/// Setup looks for the post rather than making one, so the scenario reads the data the target already holds (on the
/// sample's PostgreSQL mode with <c>--seed</c>, a seeded post among 200,000 comments): <c>GET /boards?page=1&amp;limit=20</c>,
/// then the posts of the first <see cref="BoardsSearched"/> boards until one has a post, preferring the post with the
/// most comments. Only when none has a post does it create a board, a post and <see cref="CommentsCreated"/> comments.
/// Paced as <c>load</c> (open model, corrected from the due time; closed with <c>--rps 0</c>); request i goes to the
/// comments route when i is even, to the posts route when it is odd.
/// </remarks>
internal sealed class MissingIndexScenario : IScenario
{
    public const string CommentsLabel = "GET /posts/{id}/comments";

    public const string PostsLabel = "GET /boards/{id}/posts";

    /// <summary>Boards whose posts setup reads at most: on the unfixed sample each read is an N+1 of table scans.</summary>
    public const int BoardsSearched = 5;

    public const int CommentsCreated = 3;

    public const string BoardsPath = "/boards?page=1&limit=20";

    public static readonly string Description =
        "GET /posts/{id}/comments and GET /boards/{id}/posts, taking turns at --rps";

    public string Describe(SimulatorSettings settings) => settings.Rps == 0
        ? string.Create(CultureInfo.InvariantCulture,
            $"GET /posts/{{id}}/comments and GET /boards/{{id}}/posts taking turns, as fast as {settings.MaxInFlight} in flight allow")
        : string.Create(CultureInfo.InvariantCulture,
            $"GET /posts/{{id}}/comments and GET /boards/{{id}}/posts taking turns at {settings.Rps} requests/s");

    public async Task<ScenarioOutcome> RunAsync(ScenarioContext context, CancellationToken ct)
    {
        SimulatorSettings s = context.Settings;
        var (post, failure) = await FindPostAsync(context, ct).ConfigureAwait(false);
        if (post is null && failure is null)
        {
            (post, failure) = await CreatePostAsync(context, ct).ConfigureAwait(false);
        }

        if (post is not { } target)
        {
            return ScenarioOutcome.Skipped(failure ?? "setup found no post");
        }

        var (boardId, postId) = target;

        RequestSpec[] specs =
        [
            context.Spec(CommentsLabel, "GET", $"/posts/{postId}/comments"),
            context.Spec(PostsLabel, "GET", $"/boards/{boardId}/posts"),
        ];
        return await context.WarmUpThenRunAsync(s.Rps, roundBased: false, (duration, token) => context.Runner.RunAsync(
            context.Plan(LoadPlan.ForRate(s.Rps, duration, s.MaxInFlight)),
            // By the schedule's index, so the routes take turns across shards as in one process.
            (i, lag, itemToken) => context.SendAsync(specs[context.GlobalIndex(i) % specs.Length], lag, itemToken),
            token,
            context.MarkScheduleStart), ct).ConfigureAwait(false);
    }

    /// <returns>The board and post to load, or neither when no board searched has a post; or why the setup failed.</returns>
    private static async Task<((string BoardId, string PostId)? Found, string? Failure)> FindPostAsync(ScenarioContext context, CancellationToken ct)
    {
        var (list, listBody) = await context.SetupAsync(context.Spec($"GET {BoardsPath}", "GET", BoardsPath), ct).ConfigureAwait(false);
        if (!list.IsSuccess)
        {
            return (null, ScenarioContext.SetupFailure(list));
        }

        (string BoardId, string PostId)? firstPost = null;
        foreach (string boardId in ApiJson.Items(listBody).Select(b => ApiJson.IdOf(b["id"])).OfType<string>().Take(BoardsSearched))
        {
            var (posts, postsBody) = await context.SetupAsync(
                context.Spec(PostsLabel, "GET", $"/boards/{boardId}/posts"), ct).ConfigureAwait(false);
            if (!posts.IsSuccess)
            {
                return (null, ScenarioContext.SetupFailure(posts));
            }

            // The post with the most comments, so the comments route answers with rows; the first on a tie.
            var best = ApiJson.Items(postsBody)
                .Select(p => (Id: ApiJson.IdOf(p["id"]), Comments: p["comment_count"] is { Type: JTokenType.Integer } n ? n.Value<long>() : 0))
                .Where(p => p.Id is not null)
                .OrderByDescending(p => p.Comments)
                .FirstOrDefault();
            if (best.Id is null)
            {
                continue;
            }

            if (best.Comments > 0)
            {
                return ((boardId, best.Id), null);
            }

            firstPost ??= (boardId, best.Id);
        }

        return (firstPost, null);
    }

    /// <returns>A new board and post with a few comments; or why the setup failed.</returns>
    private static async Task<((string BoardId, string PostId)? Created, string? Failure)> CreatePostAsync(ScenarioContext context, CancellationToken ct)
    {
        var (boardId, failure) = await context.CreateAsync("/boards",
            new { name = "missing_index test board", description = "created by simulate_bottleneck" }, ct).ConfigureAwait(false);
        if (boardId is null)
        {
            return (null, failure);
        }

        (string? postId, failure) = await context.CreateAsync("/posts", new
        {
            board_id = long.Parse(boardId, CultureInfo.InvariantCulture),
            title = "missing_index test post",
            content = "created by simulate_bottleneck",
            author = "simulate_bottleneck",
        }, ct).ConfigureAwait(false);
        if (postId is null)
        {
            return (null, failure);
        }

        for (int i = 0; i < CommentsCreated; i++)
        {
            (string? commentId, failure) = await context.CreateAsync("/comments", new
            {
                post_id = long.Parse(postId, CultureInfo.InvariantCulture),
                content = $"Comment {i + 1}",
                author = "simulate_bottleneck",
            }, ct).ConfigureAwait(false);
            if (commentId is null)
            {
                return (null, failure);
            }
        }

        return ((boardId, postId), null);
    }
}
