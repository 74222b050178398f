using System.Globalization;
using System.Text;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Http;
using PerfTools.Shared.Reports.Comparison;
using PerfTools.Shared.Text;

namespace PerfTools.PerformanceAnalyzer;

/// <summary>The console view of a run: one table row per endpoint, then the errors by kind and the comparison with a
/// baseline, read from the same <see cref="EndpointStats"/> as the CSV, JSON and chart. Colour only when asked (a
/// terminal without NO_COLOR).</summary>
/// <remarks>The last column, warmup, is the endpoint's warm-up requests, marked <c>*</c> when latency had not settled
/// when the warm-up stopped at its bound; one line under the table says so.</remarks>
internal static class ConsoleReport
{
    private const string Red = "\u001b[31m";
    private const string Yellow = "\u001b[33m";
    private const string Reset = "\u001b[0m";

    private static readonly string[] Headings = ["count", "errors", "min ms", "mean ms", "p50 ms", "p95 ms", "p99 ms", "max ms", "server ms"];

    private const string WarmupHeading = "warmup";

    /// <summary>What the console shows once the requests are done: the table, the errors by kind and, with a
    /// baseline, the comparison after a blank line.</summary>
    /// <param name="warmups">Each endpoint's warm-up, by label, for the warmup column; null leaves the column out.</param>
    public static void Write(
        TextWriter output, IReadOnlyList<EndpointStats> stats, IReadOnlyList<RequestResult> results, double? maxP95Ms, bool colour,
        RunComparison? comparison, IReadOnlyDictionary<string, WarmupOutcome>? warmups = null)
    {
        WriteTable(output, stats, maxP95Ms, colour, warmups);
        WriteErrors(output, stats, results);
        if (comparison is not null)
        {
            output.WriteLine();
            comparison.WriteConsole(output);
        }
    }

    public static void WriteTable(
        TextWriter output, IReadOnlyList<EndpointStats> stats, double? maxP95Ms, bool colour,
        IReadOnlyDictionary<string, WarmupOutcome>? warmups = null)
    {
        if (stats.Count == 0)
        {
            output.WriteLine("no requests were measured");
            return;
        }

        int labelWidth = Math.Max("endpoint".Length, stats.Max(s => s.Label.Length));
        string[] headings = warmups is null ? Headings : [.. Headings, WarmupHeading];
        var rows = stats.Select(s => new[]
        {
            Num(s.Count), Num(s.Errors), Ms(s.MinMicros), Ms(s.MeanMicros), Ms(s.P50Micros), Ms(s.P95Micros), Ms(s.P99Micros), Ms(s.MaxMicros),
            s.ServerTimeMeanMs is { } server ? Milliseconds.Text(server) : "-",
            WarmupCell(warmups?.GetValueOrDefault(s.Label)),
        }).ToList();
        int[] widths = headings.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();

        var line = new StringBuilder("endpoint".PadRight(labelWidth));
        for (int i = 0; i < headings.Length; i++)
        {
            line.Append("  ").Append(headings[i].PadLeft(widths[i]));
        }

        output.WriteLine(line.ToString());
        for (int r = 0; r < stats.Count; r++)
        {
            EndpointStats s = stats[r];
            line.Clear().Append(s.Label.PadRight(labelWidth));
            for (int i = 0; i < headings.Length; i++)
            {
                string cell = rows[r][i].PadLeft(widths[i]);
                string? paint = i switch
                {
                    1 when s.Errors > 0 => Red,
                    5 when maxP95Ms is { } gate && OverP95Gate(s, gate) => Yellow,
                    _ => null,
                };
                line.Append("  ").Append(colour && paint is not null ? paint + cell + Reset : cell);
            }

            output.WriteLine(line.ToString());
        }

        var unsettled = stats.Where(s => warmups?.GetValueOrDefault(s.Label) is { Settled: false }).Select(s => s.Label).ToList();
        if (unsettled.Count > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"* warm-up stopped before latency settled (at most {WarmupRule.MaxRequests} requests or {WarmupRule.MaxDuration.TotalSeconds} s): {string.Join(", ", unsettled)}"));
        }
    }

    /// <summary>For each endpoint with errors: counts by kind and the first message of each kind.</summary>
    public static void WriteErrors(TextWriter output, IReadOnlyList<EndpointStats> stats, IReadOnlyList<RequestResult> results)
    {
        var failing = stats.Where(s => s.Errors > 0).ToList();
        if (failing.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("Errors by kind:");
        foreach (EndpointStats s in failing)
        {
            var kinds = s.ErrorsByKind
                .Where(kv => kv.Value > 0)
                .OrderBy(kv => Enum.TryParse<ErrorKind>(kv.Key, out var kind) ? (int)kind : int.MaxValue)
                .Select(kv =>
                {
                    string? first = results.FirstOrDefault(r => r.Label == s.Label && r.Error.ToString() == kv.Key)?.ErrorMessage;
                    return first is null ? $"{kv.Key} {Num(kv.Value)}" : $"{kv.Key} {Num(kv.Value)} ({first})";
                });
            output.WriteLine($"  {s.Label}: {string.Join(", ", kinds)}");
        }
    }

    /// <summary>"30", "300*" when latency had not settled, "-" when the endpoint was not warmed up by this run.</summary>
    private static string WarmupCell(WarmupOutcome? warmup) => warmup switch
    {
        null => "-",
        { Settled: false } => Num(warmup.Requests) + "*",
        _ => Num(warmup.Requests),
    };

    /// <summary>A µs figure of <see cref="EndpointStats"/> as the table's ms, 2 decimals, halves away from zero in decimal
    /// arithmetic as <see cref="Milliseconds.FromMicros"/> rounds the simulator's: through a double, 145 µs is
    /// 0.14499… ms and would print 0.14.</summary>
    internal static string Ms(double micros) =>
        Math.Round((decimal)micros / 1000m, 2, MidpointRounding.AwayFromZero).ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>Whether the endpoint's p95 is over <c>--max-p95-ms</c>; compared in ms, the gate's unit as given.</summary>
    internal static bool OverP95Gate(EndpointStats s, double gateMs) => s.Measured > 0 && s.P95Micros / 1000.0 > gateMs;

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
}
