using System.Globalization;
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
        var (boardId, failure) = await context.CreateAsync("/boards",
            new { name = "N+1 test board", description = "created by simulate_bottleneck" }, ct).ConfigureAwait(false);
        if (boardId is null)
        {
            return ScenarioOutcome.Skipped(failure!);
        }

        var postIds = new List<string>(Posts);
        for (int i = 0; i < Posts; i++)
        {
            var (postId, postFailure) = await context.CreateAsync("/posts", new
            {
                board_id = long.Parse(boardId, CultureInfo.InvariantCulture),
                title = $"Post {i + 1}",
                content = $"Content of post {i + 1}",
                author = "simulate_bottleneck",
            }, ct).ConfigureAwait(false);
            if (postId is null)
            {
                return ScenarioOutcome.Skipped(postFailure!);
            }

            postIds.Add(postId);
        }

        RequestSpec list = context.Spec("GET /boards/{id}/posts", "GET", $"/boards/{boardId}/posts");
        RequestSpec[] gets = postIds.Select(id => context.Spec("GET /posts/{id}", "GET", $"/posts/{id}")).ToArray();
        return await context.WarmUpThenRunAsync((1 + Posts) / Interval.TotalSeconds, roundBased: true, (duration, token) =>
            context.RunRoundsAsync(Interval, duration, 1, async (_, lag, itemToken) =>
            {
                await context.SendAsync(list, lag, itemToken).ConfigureAwait(false);
                foreach (RequestSpec get in gets)
                {
                    await context.SendAsync(get, lag, itemToken).ConfigureAwait(false);
                }
            }, token), ct).ConfigureAwait(false);
    }
}
