namespace PerfTools.Tests.ForumApi;

/// <summary>One sample line of the Prometheus text format: name, labels, value.</summary>
public sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
