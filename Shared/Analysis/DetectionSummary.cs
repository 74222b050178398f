namespace PerfTools.Shared.Analysis;

/// <summary>One detector run: what was asked, what answered, and the findings; every detector report reads it.</summary>
/// <param name="EvaluatedAt">The instant analysed (<c>--at</c>), or null for "now".</param>
/// <param name="Window">The rate window, as given (<c>5m</c>).</param>
/// <param name="Discovered">What metric discovery found, by role (<c>latency</c> → <c>http_request_duration_seconds by endpoint</c>).</param>
public sealed record DetectionSummary(
    DateTimeOffset GeneratedAt,
    DateTimeOffset? EvaluatedAt,
    string Window,
    SourceStatus Prometheus,
    IReadOnlyDictionary<string, string> Discovered,
    SourceStatus Jaeger,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>The database <c>--database-url</c> named (its password masked), or null when none was given.</summary>
    public SourceStatus? Database { get; init; }
}
