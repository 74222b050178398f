using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Http;

namespace PerfTools.BottleneckSimulator.Scenarios;

/// <summary><c>n_plus_1</c>: creates a board with 20 posts, then every 0.5 s fetches the board's posts and each post
/// one by one (the client-side N+1 of the original), which also drives the sample API's server-side N+1.</summary>
/// <remarks>The requests of a round go one after another; each is charged the round's lag, since all of them were
/// held up by a late round, but not the time of the requests before it in the round: that is the pattern itself.</remarks>
internal sealed class NPlusOneScenario : IScenario
{
    public const int Posts = 20;

    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    public static readonly string Description = string.Create(CultureInfo.InvariantCulture,
        $"GET /boards/{{id}}/posts and each of {Posts} posts one by one, every {Interval.TotalSeconds} s");

    public string Describe(SimulatorSettings settings) => Description;

    public async Task<ScenarioOutcome> RunAsync(ScenarioContext context, CancellationToken ct)
    {
        var (board, boardBody) = await context.SetupAsync(context.Spec("POST /boards", "POST", "/boards",
            Json(new { name = "N+1 test board", description = "created by simulate_bottleneck" })), ct).ConfigureAwait(false);
        if (!board.IsSuccess || IdOf(boardBody) is not { } boardId)
        {
            return ScenarioOutcome.Skipped(board.IsSuccess ? "setup POST /boards answered without an id" : ScenarioContext.SetupFailure(board));
        }

        var postIds = new List<string>(Posts);
        for (int i = 0; i < Posts; i++)
        {
            var (post, postBody) = await context.SetupAsync(context.Spec("POST /posts", "POST", "/posts", Json(new
            {
                board_id = long.Parse(boardId, CultureInfo.InvariantCulture),
                title = $"Post {i + 1}",
                content = $"Content of post {i + 1}",
                author = "simulate_bottleneck",
            })), ct).ConfigureAwait(false);
            if (!post.IsSuccess || IdOf(postBody) is not { } postId)
            {
                return ScenarioOutcome.Skipped(post.IsSuccess ? "setup POST /posts answered without an id" : ScenarioContext.SetupFailure(post));
            }

            postIds.Add(postId);
        }

        RequestSpec list = context.Spec("GET /boards/{id}/posts", "GET", $"/boards/{boardId}/posts");
        RequestSpec[] gets = postIds.Select(id => context.Spec("GET /posts/{id}", "GET", $"/posts/{id}")).ToArray();
        context.StartRecording((1 + Posts) / Interval.TotalSeconds);
        LoadRunOutcome run = await context.RunRoundsAsync(Interval, 1, async (_, lag, token) =>
        {
            await context.SendAsync(list, lag, token).ConfigureAwait(false);
            foreach (RequestSpec get in gets)
            {
                await context.SendAsync(get, lag, token).ConfigureAwait(false);
            }
        }, ct).ConfigureAwait(false);
        return new ScenarioOutcome(run, null, RoundBased: true);
    }

    private static byte[] Json(object value) => Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(value));

    /// <summary>The created object's id, bare (<c>{"id":1}</c>) or wrapped (<c>{"data":{"id":1}}</c>).</summary>
    private static string? IdOf(string? body)
    {
        try
        {
            if (body is null || JToken.Parse(body) is not JObject root)
            {
                return null;
            }

            JToken? id = root["id"] ?? (root["data"] as JObject)?["id"];
            return id is { Type: JTokenType.Integer } ? id.ToString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
