using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace PerfTools.Shared.Http.Engine;

/// <summary>The ids of one request's W3C trace context as numbers, written as a <c>traceparent</c> straight into a
/// connection's send buffer; the trace id becomes a string only when the result needs it.</summary>
/// <remarks>Drawn from the cryptographic generator, as <see cref="TraceParent.Create()"/>: ids must be unique across
/// workers and runs; all-zero ids are invalid and redrawn.</remarks>
internal readonly struct TraceIds
{
    // One buffer of cryptographic randomness per thread, refilled every 512 ids: a request costs no system call.
    [ThreadStatic]
    private static RandomBytes? PerThread;

    private readonly ulong _traceHigh;
    private readonly ulong _traceLow;
    private readonly ulong _span;

    private TraceIds(ulong traceHigh, ulong traceLow, ulong span)
    {
        _traceHigh = traceHigh;
        _traceLow = traceLow;
        _span = span;
    }

    public static TraceIds Create()
    {
        RandomBytes random = PerThread ??= new RandomBytes();
        ulong traceHigh, traceLow, span;
        do
        {
            traceHigh = random.Next();
            traceLow = random.Next();
        }
        while ((traceHigh | traceLow) == 0);

        do
        {
            span = random.Next();
        }
        while (span == 0);

        return new TraceIds(traceHigh, traceLow, span);
    }

    /// <summary>32 lowercase hex digits.</summary>
    public string TraceId => string.Create(32, this, static (chars, ids) =>
    {
        Hex(ids._traceHigh, chars[..16]);
        Hex(ids._traceLow, chars[16..]);
    });

    /// <summary>Writes <c>00-{trace id}-{span id}-01</c>, 55 ASCII bytes.</summary>
    public void WriteTraceparent(Span<byte> destination)
    {
        "00-"u8.CopyTo(destination);
        Hex(_traceHigh, destination.Slice(3, 16));
        Hex(_traceLow, destination.Slice(19, 16));
        destination[35] = (byte)'-';
        Hex(_span, destination.Slice(36, 16));
        "-01"u8.CopyTo(destination[52..]);
    }

    private static void Hex(ulong value, Span<byte> destination)
    {
        for (int i = 15; i >= 0; i--, value >>= 4)
        {
            destination[i] = (byte)"0123456789abcdef"[(int)(value & 0xF)];
        }
    }

    private static void Hex(ulong value, Span<char> destination)
    {
        for (int i = 15; i >= 0; i--, value >>= 4)
        {
            destination[i] = "0123456789abcdef"[(int)(value & 0xF)];
        }
    }

    /// <summary>Random numbers handed out from a buffer the cryptographic generator fills.</summary>
    private sealed class RandomBytes
    {
        private readonly ulong[] _buffer = new ulong[512];
        private int _next = 512;

        public ulong Next()
        {
            if (_next == _buffer.Length)
            {
                RandomNumberGenerator.Fill(MemoryMarshal.AsBytes(_buffer.AsSpan()));
                _next = 0;
            }

            return _buffer[_next++];
        }
    }
}
