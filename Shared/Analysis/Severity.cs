namespace PerfTools.Shared.Analysis;

/// <summary>How much a finding matters; ordered, so <c>--fail-on</c> can compare.</summary>
public enum Severity
{
    Info,
    Warning,
    Critical,
}
