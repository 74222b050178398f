using PerfTools.Shared.Http;
using PerfTools.Shared.Text;


namespace PerfTools.BottleneckSimulator.Scenarios;

/// <summary><c>load</c>: <c>--method --endpoint</c> at exactly <c>--rps</c> requests per second, evenly spaced (open
/// model), or back to back from <c>--max-in-flight</c> workers when <c>--rps 0</c> (closed model).</summary>
internal sealed class LoadScenario : IScenario
{
    public string Name => "load";

    public async Task<ScenarioOutcome> RunAsync(ScenarioContext context, CancellationToken ct)
    {
        SimulatorSettings s = context.Settings;
        // The label is printed and written: control characters in the path are shown escaped (the URL percent-encodes them).
        RequestSpec spec = context.Spec(SafeText.Printable($"{s.Method} {s.Endpoint}"), s.Method, s.Endpoint, s.Body);
        context.StartRecording(Name, s.Rps);
        LoadRunOutcome run = await context.Runner.RunAsync(
            LoadPlan.ForRate(s.Rps, s.Duration, s.MaxInFlight),
            (_, lag, token) => context.SendAsync(spec, lag, token),
            ct,
            context.MarkScheduleStart).ConfigureAwait(false);
        return new ScenarioOutcome(run, null, RoundBased: false);
    }
}
