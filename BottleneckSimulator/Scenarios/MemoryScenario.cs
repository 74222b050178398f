using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using PerfTools.Shared.Http;

namespace PerfTools.BottleneckSimulator.Scenarios;

/// <summary><c>memory</c>: a round of 5 concurrent <c>POST /boards</c> with 10 KB descriptions every 0.2 s, the
/// original's way of growing whatever the server keeps per request.</summary>
internal sealed class MemoryScenario : IScenario
{
    public const int Concurrent = 5;

    public const int DescriptionBytes = 10 * 1024;

    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    public static readonly string Description = string.Create(CultureInfo.InvariantCulture,
        $"{Concurrent} concurrent POST /boards with {DescriptionBytes / 1024} KB descriptions every {Interval.TotalSeconds} s");

    public string Describe(SimulatorSettings settings) => Description;

    public async Task<ScenarioOutcome> RunAsync(ScenarioContext context, CancellationToken ct)
    {
        string description = new('x', DescriptionBytes);
        // The warm-up's boards are named as the measured run's (round numbers start again at 0): names need not be unique.
        return await context.WarmUpThenRunAsync(Concurrent / Interval.TotalSeconds, roundBased: true, (duration, token) =>
            context.RunRoundsAsync(Interval, duration, Concurrent, (round, lag, itemToken) =>
                Task.WhenAll(Enumerable.Range(0, Concurrent).Select(i =>
                {
                    string name = string.Create(CultureInfo.InvariantCulture, $"memory-test-{round}-{i}");
                    byte[] body = Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(new { name, description }));
                    return context.SendAsync(context.Spec("POST /boards", "POST", "/boards", body), lag, itemToken);
                })), token), ct).ConfigureAwait(false);
    }
}
