using System.Globalization;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Reports.Comparison;

/// <summary>Prints a run's comparison with its baseline as a plain-text table for the console: per label one block of
/// four lines (p50, p95, p99, mean as "before → after ms (change)"), beside them the shift and its interval (in ms,
/// then in %), and the verdict over its p.</summary>
/// <remarks>Blocks rather than one wide row keep it within about 100 columns with ordinary labels; columns are as wide
/// as their longest cell. Labels and the baseline name pass through <see cref="SafeText.Printable"/>.</remarks>
public static class ComparisonText
{
    private const string Gap = "  ";
    private const int Width = 118;

    /// <param name="baselineName">The baseline file or folder as the user gave it.</param>
    /// <param name="labelHeader">The first column's title: "endpoint" or "scenario".</param>
    public static void Write(TextWriter output, IReadOnlyList<LatencyComparison> rows, string baselineName, string labelHeader = "label")
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(baselineName);
        ArgumentNullException.ThrowIfNull(labelHeader);
        output.WriteLine($"Comparison with baseline {SafeText.Printable(baselineName)}");
        foreach (string line in Wrap(ComparisonFormat.TestSentence(rows), Width))
        {
            output.WriteLine(line);
        }

        if (rows.Count == 0)
        {
            output.WriteLine("Nothing to compare: no label is in both runs.");
            return;
        }

        var lines = new List<string[]>
        {
            new[] { labelHeader, "n before → after", "", "before → after ms (change)", $"shift ({ComparisonFormat.Confidence(rows)}% CI)", "verdict" },
        };
        foreach (LatencyComparison c in rows)
        {
            var metrics = new (string Name, double Before, double After, double? Change)[]
            {
                ("p50", c.P50BeforeMs, c.P50AfterMs, c.P50ChangePct),
                ("p95", c.P95BeforeMs, c.P95AfterMs, c.P95ChangePct),
                ("p99", c.P99BeforeMs, c.P99AfterMs, c.P99ChangePct),
                ("mean", c.MeanBeforeMs, c.MeanAfterMs, c.MeanChangePct),
            };
            int before = metrics.Max(m => Milliseconds.Text(m.Before).Length);
            int after = metrics.Max(m => Milliseconds.Text(m.After).Length);
            string[] shift = ComparisonFormat.ShiftLines(c);
            string[] verdict = [c.Verdict.ToText(), c.Threshold is null && c.Test is null ? "" : "p " + PText(c), "", ""];
            for (int i = 0; i < metrics.Length; i++)
            {
                var m = metrics[i];
                // Numbers right-aligned within the block, so the arrows line up.
                string cell = $"{Milliseconds.Text(m.Before).PadLeft(before)} → {Milliseconds.Text(m.After).PadLeft(after)} ({ComparisonFormat.Change(m.Change)})";
                lines.Add(i == 0
                    ? [SafeText.Printable(c.Label), Counts(c), m.Name, cell, shift[i], verdict[i]]
                    : ["", "", m.Name, cell, shift[i], verdict[i]]);
            }
        }

        int[] widths = Enumerable.Range(0, lines[0].Length).Select(col => lines.Max(l => l[col].Length)).ToArray();
        foreach (string[] line in lines)
        {
            output.WriteLine(string.Join(Gap, line.Select((cell, col) => cell.PadRight(widths[col]))).TrimEnd());
        }

        foreach (LatencyComparison c in rows.Where(r => r.Verdict == ComparisonVerdict.Inconclusive))
        {
            output.WriteLine($"{SafeText.Printable(c.Label)}: {ComparisonFormat.VerdictText(c)}");
        }

        output.WriteLine($"Verdicts: {ComparisonFormat.Tally(rows)}.");
    }

    /// <summary><c>&lt; 0.0001</c> or <c>= 0.0123</c>.</summary>
    private static string PText(LatencyComparison c) => ComparisonFormat.P(c) is var p && p.StartsWith('<') ? p : "= " + p;

    /// <summary>Words into lines of at most <paramref name="width"/> characters (a longer word gets a line of its own).</summary>
    private static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new System.Text.StringBuilder();
        foreach (string word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : "").Append(word);
        }

        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }

    private static string Counts(LatencyComparison c) => string.Create(CultureInfo.InvariantCulture, $"{c.NBefore} → {c.NAfter}");
}
