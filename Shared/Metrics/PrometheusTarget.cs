namespace PerfTools.Shared.Metrics;

/// <summary>One active scrape target from <c>/api/v1/targets</c>.</summary>
public sealed record PrometheusTarget(string Job, string Instance, string ScrapeUrl, string Health, string LastError);
