namespace PerfTools.Shared.Analysis;

/// <summary>Whether a monitoring source (Prometheus, Jaeger) answered, and what the detector learned about it.</summary>
/// <param name="Api">Which API answered (Jaeger <c>v3</c> / <c>v1</c>; Prometheus its version), when known.</param>
/// <param name="Message">One line on what went wrong, when it was unreachable.</param>
public sealed record SourceStatus(string Url, bool Reachable, string? Api = null, string? Message = null);
