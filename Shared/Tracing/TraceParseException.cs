namespace PerfTools.Shared.Tracing;

/// <summary>A Jaeger response that is not the JSON shape a parser expects; the message is one console line.</summary>
public sealed class TraceParseException : Exception
{
    public TraceParseException(string message) : base(message) { }

    public TraceParseException(string message, Exception inner) : base(message, inner) { }
}
