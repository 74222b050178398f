namespace PerfTools.Shared.Tracing;

/// <summary>An error Jaeger itself reported in a JSON body (v1 <c>errors[0]</c> or v3 <c>error</c>).</summary>
/// <param name="Code">The HTTP code Jaeger put in the body (v1 <c>code</c>, v3 <c>httpCode</c>).</param>
/// <param name="Message">Jaeger's text, e.g. "trace not found" (v1) or "No traces found" (v3).</param>
/// <param name="Api">"v1" or "v3": which body shape it was.</param>
public sealed record JaegerError(int Code, string Message, string Api);
