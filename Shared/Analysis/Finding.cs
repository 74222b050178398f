namespace PerfTools.Shared.Analysis;

/// <summary>One thing a detection rule found, with the numbers behind it and what to do about it.</summary>
/// <param name="Rule">Rule id, part of the output contract: <c>slow_endpoint</c>, <c>error_rate</c>, <c>n_plus_one</c>, ...</param>
/// <param name="Target">What it is about: a route (<c>GET /boards/{id}/posts</c>), a service, or a trace id.</param>
/// <param name="Value">The measured value, in <paramref name="Unit"/>.</param>
/// <param name="Unit">Unit of <paramref name="Value"/> and <paramref name="Threshold"/>: <c>ms</c>, <c>ratio</c>, <c>queries/request</c>, <c>bytes/s</c>, ...</param>
/// <param name="Threshold">The limit the value was compared with, when the rule has one.</param>
/// <param name="Evidence">How to see it again: the PromQL query, or the trace id and span ids.</param>
/// <param name="Recommendation">What to change, in a sentence or two.</param>
public sealed record Finding(
    string Rule,
    Severity Severity,
    string Target,
    double Value,
    string Unit,
    double? Threshold,
    string Evidence,
    string Recommendation)
{
    private readonly IReadOnlyList<string> _nextSteps = [];

    /// <summary>What to do first, set by the rule that made the finding: each step a sentence, a command that runs as
    /// printed, or a command with a placeholder the same step explains. Empty for a finding read from a CSV file or
    /// from a findings report written before steps existed.</summary>
    public IReadOnlyList<string> NextSteps
    {
        get => _nextSteps;
        init => _nextSteps = value ?? [];
    }

    // By value, the steps too: a record compares a list by reference, so a finding read back would never equal the one written.
    public bool Equals(Finding? other) =>
        other is not null
        && Rule == other.Rule && Severity == other.Severity && Target == other.Target && Value.Equals(other.Value)
        && Unit == other.Unit && Threshold.Equals(other.Threshold) && Evidence == other.Evidence
        && Recommendation == other.Recommendation && NextSteps.SequenceEqual(other.NextSteps, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Rule, Severity, Target, Value, Unit, Threshold, Evidence, Recommendation);
}
