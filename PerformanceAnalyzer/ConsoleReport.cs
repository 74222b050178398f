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
internal static class ConsoleReport
{
    private const string Red = "\u001b[31m";
    private const string Yellow = "\u001b[33m";
    private const string Reset = "\u001b[0m";

    private static readonly string[] Headings = ["count", "errors", "min ms", "mean ms", "p50 ms", "p95 ms", "p99 ms", "max ms", "server ms"];

    /// <summary>What the console shows once the requests are done: the table, the errors by kind and, with a
    /// baseline, the comparison after a blank line.</summary>
    public static void Write(
        TextWriter output, IReadOnlyList<EndpointStats> stats, IReadOnlyList<RequestResult> results, double? maxP95Ms, bool colour,
        RunComparison? comparison)
    {
        WriteTable(output, stats, maxP95Ms, colour);
        WriteErrors(output, stats, results);
        if (comparison is not null)
        {
            output.WriteLine();
            comparison.WriteConsole(output);
        }
    }

    public static void WriteTable(TextWriter output, IReadOnlyList<EndpointStats> stats, double? maxP95Ms, bool colour)
    {
        if (stats.Count == 0)
        {
            output.WriteLine("no requests were measured");
            return;
        }

        int labelWidth = Math.Max("endpoint".Length, stats.Max(s => s.Label.Length));
        var rows = stats.Select(s => new[]
        {
            Num(s.Count), Num(s.Errors), Milliseconds.Text(s.MinMs), Milliseconds.Text(s.MeanMs), Milliseconds.Text(s.P50Ms), Milliseconds.Text(s.P95Ms), Milliseconds.Text(s.P99Ms), Milliseconds.Text(s.MaxMs),
            s.ServerTimeMeanMs is { } server ? Milliseconds.Text(server) : "-",
        }).ToList();
        int[] widths = Headings.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();

        var line = new StringBuilder("endpoint".PadRight(labelWidth));
        for (int i = 0; i < Headings.Length; i++)
        {
            line.Append("  ").Append(Headings[i].PadLeft(widths[i]));
        }

        output.WriteLine(line.ToString());
        for (int r = 0; r < stats.Count; r++)
        {
            EndpointStats s = stats[r];
            line.Clear().Append(s.Label.PadRight(labelWidth));
            for (int i = 0; i < Headings.Length; i++)
            {
                string cell = rows[r][i].PadLeft(widths[i]);
                string? paint = i switch
                {
                    1 when s.Errors > 0 => Red,
                    5 when maxP95Ms is { } gate && s.Measured > 0 && s.P95Ms > gate => Yellow,
                    _ => null,
                };
                line.Append("  ").Append(colour && paint is not null ? paint + cell + Reset : cell);
            }

            output.WriteLine(line.ToString());
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

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
}
