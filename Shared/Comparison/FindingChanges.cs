using PerfTools.Shared.Analysis;

namespace PerfTools.Shared.Comparison;

/// <summary>A detector run compared with an earlier one (<c>--baseline</c>): which findings are new, which are gone and
/// which remain, matched by rule, target and unit.</summary>
/// <param name="GeneratedAt">When this run was made.</param>
/// <param name="EvaluatedAt">The instant this run analysed, or null for "now".</param>
/// <param name="BaselineFile">The baseline's findings file, as found.</param>
/// <param name="Changes">New first, then remaining, gone and not checked; the most severe first within each.</param>
public sealed record FindingChanges(
    DateTimeOffset GeneratedAt,
    DateTimeOffset? EvaluatedAt,
    string Window,
    string BaselineFile,
    DateTimeOffset BaselineGeneratedAt,
    DateTimeOffset? BaselineEvaluatedAt,
    string BaselineWindow,
    IReadOnlyList<FindingChange> Changes)
{
    public int Count(FindingStatus status) => Changes.Count(c => c.Status == status);

    /// <summary>Matches the findings of <paramref name="current"/> with those of <paramref name="baseline"/>.</summary>
    /// <param name="checkedBefore">Whether the baseline run looked for findings of a rule (its source answered and
    /// was not interrupted); a finding only found now by a rule it did not check is <see cref="FindingStatus.NotChecked"/>, not new.</param>
    /// <param name="checkedNow">Likewise for this run: a baseline finding not found now is gone only if this run looked.</param>
    public static FindingChanges Compare(
        DetectionSummary baseline, string baselineFile, DetectionSummary current, Func<string, bool> checkedBefore, Func<string, bool> checkedNow)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(baselineFile);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(checkedBefore);
        ArgumentNullException.ThrowIfNull(checkedNow);
        var before = baseline.Findings.GroupBy(Key).ToDictionary(g => g.Key, g => g.ToList());
        var after = current.Findings.GroupBy(Key).ToDictionary(g => g.Key, g => g.ToList());
        var changes = new List<FindingChange>();
        foreach (var key in before.Keys.Concat(after.Keys).Distinct())
        {
            Finding? was = Worst(before.GetValueOrDefault(key));
            Finding? now = Worst(after.GetValueOrDefault(key));
            FindingStatus status = (was, now) switch
            {
                (not null, not null) => FindingStatus.Remaining,
                (null, _) => checkedBefore(key.Rule) ? FindingStatus.New : FindingStatus.NotChecked,
                (_, null) => checkedNow(key.Rule) ? FindingStatus.Gone : FindingStatus.NotChecked,
            };
            changes.Add(new FindingChange(
                status, key.Rule, key.Target, key.Unit, was?.Severity, now?.Severity, was?.Value, now?.Value,
                before.GetValueOrDefault(key)?.Count ?? 0, after.GetValueOrDefault(key)?.Count ?? 0));
        }

        return new FindingChanges(
            current.GeneratedAt, current.EvaluatedAt, current.Window,
            baselineFile, baseline.GeneratedAt, baseline.EvaluatedAt, baseline.Window,
            changes
                .OrderBy(c => c.Status)
                .ThenByDescending(c => c.SeverityAfter ?? c.SeverityBefore)
                .ThenBy(c => c.Rule, StringComparer.Ordinal)
                .ThenBy(c => c.Target, StringComparer.Ordinal)
                .ToList());
    }

    private static (string Rule, string Target, string Unit) Key(Finding f) => (f.Rule, f.Target, f.Unit);

    /// <summary>The most severe, then the largest value: for every rule a larger value is the worse one (ms, ratios,
    /// queries per request, bytes per second, calls).</summary>
    private static Finding? Worst(List<Finding>? findings) =>
        findings?.OrderByDescending(f => f.Severity).ThenByDescending(f => f.Value).First();
}
