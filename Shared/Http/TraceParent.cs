using System.Security.Cryptography;
using PerfTools.Shared.Tracing;

namespace PerfTools.Shared.Http;

/// <summary>Makes W3C Trace Context <c>traceparent</c> headers so each request can be found in the tracing backend.</summary>
/// <remarks>Format: <c>00-{32 hex trace id}-{16 hex span id}-01</c> (version 00, sampled), per
/// https://www.w3.org/TR/trace-context/#traceparent-header. All-zero ids are invalid there, so they are redrawn.</remarks>
public static class TraceParent
{
    /// <summary>A new trace context drawn from a seeded generator (tests, reproducible runs).</summary>
    public static (string TraceId, string SpanId, string Header) Create(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Create(random.NextBytes);
    }

    /// <summary>A new trace context drawn from a cryptographic generator.</summary>
    public static (string TraceId, string SpanId, string Header) Create(RandomNumberGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Create(random.GetBytes);
    }

    /// <summary>A new trace context from the shared cryptographic generator, which is thread-safe.</summary>
    public static (string TraceId, string SpanId, string Header) Create() => Create(RandomNumberGenerator.Fill);

    /// <summary>Whether <paramref name="value"/> is a valid trace id: 32 hex digits, not all zero.</summary>
    public static bool IsValidTraceId(string? value) =>
        value is { Length: 32 } && IsHex(value) && value.AsSpan().ContainsAnyExcept('0');

    private static bool IsHex(string value)
    {
        foreach (char c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static (string TraceId, string SpanId, string Header) Create(FillBytes fill)
    {
        Span<byte> trace = stackalloc byte[16];
        Span<byte> span = stackalloc byte[8];
        do
        {
            fill(trace);
        }
        while (!trace.ContainsAnyExcept((byte)0));

        do
        {
            fill(span);
        }
        while (!span.ContainsAnyExcept((byte)0));

        string traceId = Convert.ToHexStringLower(trace);
        string spanId = Convert.ToHexStringLower(span);
        return (traceId, spanId, $"00-{traceId}-{spanId}-01");
    }

    private delegate void FillBytes(Span<byte> buffer);
}
