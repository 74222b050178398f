using System.Globalization;
using PerfTools.Shared.Http;

namespace PerfTools.BottleneckSimulator.Scenarios;

/// <summary><c>slow</c>: a round of 5 concurrent <c>GET /slow</c> every 0.5 s (the original's pattern), so slow
/// requests pile up on the server when each takes longer than the interval.</summary>
internal sealed class SlowScenario : IScenario
{
    public const int Concurrent = 5;

    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    public static readonly string Description = string.Create(CultureInfo.InvariantCulture,
        $"{Concurrent} concurrent GET /slow every {Interval.TotalSeconds} s");

    public string Describe(SimulatorSettings settings) => Description;

    public async Task<ScenarioOutcome> RunAsync(ScenarioContext context, CancellationToken ct)
    {
        RequestSpec spec = context.Spec("GET /slow", "GET", "/slow");
        return await context.WarmUpThenRunAsync(Concurrent / Interval.TotalSeconds, roundBased: true, (duration, token) =>
            context.RunRoundsAsync(Interval, duration, Concurrent, (_, lag, itemToken) =>
                Task.WhenAll(Enumerable.Range(0, Concurrent).Select(_ => context.SendAsync(spec, lag, itemToken))), token), ct).ConfigureAwait(false);
    }
}
