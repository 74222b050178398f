using System.Globalization;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Text;

namespace PerfTools.BottleneckSimulator;

/// <summary>The console's summary of one scenario once it ran: requests and rates, latency corrected and raw, how
/// late the sends were, status codes and errors by kind; read from the same <see cref="SimulationStats"/> as the reports.</summary>
internal static class ScenarioSummary
{
    /// <param name="interrupted">Ctrl+C or SIGTERM cut the scenario short: said on its first line.</param>
    public static void Write(TextWriter output, SimulationStats s, bool interrupted)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(s);
        var c = CultureInfo.InvariantCulture;
        if (s.Generator is { Behind: true } behind)
        {
            output.WriteLine($"{s.Scenario}: WARNING: {behind.Warning}");
        }

        string target = s.TargetRps > 0 ? string.Create(c, $"target {s.TargetRps:0.###} rps") : "no target rate (closed model)";
        output.WriteLine(string.Create(c,
            $"{s.Scenario}: {s.Requests} requests in {s.DurationSeconds:0.0} s{(interrupted ? " (interrupted)" : "")}, "
            + $"{target}, achieved {s.AchievedRps:0.0} rps; {s.Ok} ok, {s.Errors} errors"));
        output.WriteLine($"  latency corrected (from due time)   {Percentiles(s.Latency)}");
        output.WriteLine($"  latency uncorrected (from send)     {Percentiles(s.LatencyUncorrected)}");
        string rounds = s.Rounds is { } r ? string.Create(c, $"; rounds {r}, {s.LateRounds} late") : "";
        string own = s.Generator is { LateOwn: > 0 } g
            ? string.Create(c, $" ({g.LateOwn} of them 10 ms or more through the generator's own delay, max {g.MaxOwnLagMicros / 1000.0:0.0} ms)")
            : "";
        output.WriteLine(string.Create(c,
            $"  late (sent ≥ 1 ms after due): {s.Late}, max lag {s.MaxLagMicros / 1000.0:0.0} ms{rounds}{own}"));
        if (s.StatusCodes.Count > 0)
        {
            output.WriteLine("  status codes: " + Counts(s.StatusCodes));
        }

        if (s.ErrorsByKind.Count > 0)
        {
            output.WriteLine("  errors: " + Counts(s.ErrorsByKind));
        }

        if (s.HasRouteBreakdown)
        {
            WriteRoutes(output, s.Routes);
        }
    }

    /// <summary>One line per route, labels aligned; a route beside the scenario's figures says so.</summary>
    private static void WriteRoutes(TextWriter output, IReadOnlyList<RouteStats> routes)
    {
        const string Beside = " (beside the figures above)";
        var c = CultureInfo.InvariantCulture;
        // Labels come from the target's paths (load's --endpoint): shown with control characters escaped.
        var names = routes.Select(r => SafeText.Printable(r.Label) + (r.Headline ? "" : Beside)).ToList();
        int width = names.Max(n => n.Length);
        output.WriteLine("  by route (latency corrected):");
        for (int i = 0; i < routes.Count; i++)
        {
            RouteStats r = routes[i];
            string line = string.Create(c, $"    {names[i].PadRight(width)}  {r.Requests} requests, {r.Ok} ok, {r.Errors} errors  {Percentiles(r.Latency)}");
            if (r.StatusCodes.Count > 0)
            {
                line += "  status " + Counts(r.StatusCodes);
            }

            if (r.ErrorsByKind.Count > 0)
            {
                line += "  errors " + Counts(r.ErrorsByKind);
            }

            output.WriteLine(line);
        }
    }

    private static string Counts<TKey>(IEnumerable<KeyValuePair<TKey, long>> counts) =>
        string.Join(", ", counts.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}×{kv.Value}")));

    private static string Percentiles(LatencySummary l) =>
        $"p50 {Milliseconds.FromMicros(l.P50Micros, 1)}  p90 {Milliseconds.FromMicros(l.P90Micros, 1)}  p99 {Milliseconds.FromMicros(l.P99Micros, 1)}  max {Milliseconds.FromMicros(l.MaxMicros, 1)} ms";
}
