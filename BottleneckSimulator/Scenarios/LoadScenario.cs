using PerfTools.Shared.Http;
using PerfTools.Shared.Text;


namespace PerfTools.BottleneckSimulator.Scenarios;

/// <summary><c>load</c>: <c>--method --endpoint</c> at exactly <c>--rps</c> requests per second, evenly spaced (open
/// model), or back to back from <c>--max-in-flight</c> workers when <c>--rps 0</c> (closed model).</summary>
internal sealed class LoadScenario : IScenario
{
    /// <summary>Its registry name; the only scenario the command line shapes, so the run's page names its plan.</summary>
    public const string Name = "load";

    public const string Description =
        "--method --endpoint at --rps requests/s (with --rps 0: as fast as --max-in-flight allows)";

    /// <summary>What <paramref name="s"/> makes it send, as the start line and the HTML page's settings say it.</summary>
    public static string Plan(SimulatorSettings s) => s.Rps == 0
        ? $"{s.Method} {SafeText.Printable(s.Endpoint)} as fast as possible with {s.MaxInFlight} in flight"
        : $"{s.Method} {SafeText.Printable(s.Endpoint)} at {s.Rps} requests/s";

    public string Describe(SimulatorSettings settings) => Plan(settings);

    public async Task<ScenarioOutcome> RunAsync(ScenarioContext context, CancellationToken ct)
    {
        SimulatorSettings s = context.Settings;
        // The label is printed and written: control characters in the path are shown escaped (the URL percent-encodes them).
        RequestSpec spec = context.Spec(SafeText.Printable($"{s.Method} {s.Endpoint}"), s.Method, s.Endpoint, s.Body);
        return await context.WarmUpThenRunAsync(s.Rps, roundBased: false, (duration, token) => s.Rps == 0
            ? context.RunClosedAsync(spec, duration, s.MaxInFlight, token)
            : context.Runner.RunAsync(
                context.Plan(LoadPlan.ForRate(s.Rps, duration, s.MaxInFlight)),
                (_, lag, itemToken) => context.SendAsync(spec, lag, itemToken),
                token,
                context.MarkScheduleStart), ct).ConfigureAwait(false);
    }
}
