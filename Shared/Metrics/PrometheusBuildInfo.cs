namespace PerfTools.Shared.Metrics;

/// <summary>The server's <c>/api/v1/status/buildinfo</c>: which Prometheus answered.</summary>
public sealed record PrometheusBuildInfo(string Version, string Revision, string GoVersion);
