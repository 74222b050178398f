using PerfTools.Shared.Http;

namespace PerfTools.Tests.Http;

/// <summary>One request through the closed model's event loops (<see cref="ClosedLoopRunner"/>, one connection, one
/// request), so the client tests and the fault matrix run over them as over the engines.</summary>
internal static class EventLoopSend
{
    /// <summary>Sends <paramref name="spec"/> through the event loops when <paramref name="eventLoop"/> and they can carry
    /// it (plain http on the system clock), else through <see cref="HttpLoadClient.SendAsync"/>.</summary>
    public static async Task<RequestResult> SendAsync(HttpLoadClient client, RequestSpec spec, CancellationToken ct, bool eventLoop)
    {
        if (!eventLoop)
        {
            return await client.SendAsync(spec, ct);
        }

        if (!ClosedLoopRunner.Available)
        {
            Assert.Ignore("the event loops run on Linux x86-64 only");
        }

        if (client.TryClosedLoop(spec, 1) is not { } loops)
        {
            return await client.SendAsync(spec, ct); // https, a test clock: not theirs to carry
        }

        var results = new List<RequestResult>();
        int sends = 0;
        LoadRunOutcome outcome = await loops.RunAsync(
            TimeSpan.FromMinutes(5), () => sends++, r => { lock (results) { results.Add(r); } }, ct, maxRequests: 1);
        Assert.That((outcome.Started, sends, results.Count), Is.EqualTo((1L, 1, 1)), "one request started, sent and delivered");
        return results[0];
    }
}
