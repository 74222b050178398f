namespace PerfTools.Shared.Http.Engine;

/// <summary>Finds the data in a chunked body (RFC 9112 §7.1) as it arrives, in pieces of any size: a pure state
/// machine over bytes, holding no buffer, so the body is counted without being copied.</summary>
/// <remarks>Chunk extensions and trailers are skipped. Lines end in CRLF or a bare LF, as SocketsHttpHandler
/// accepts them. A malformed size line or chunk end is an <see cref="HttpIOException"/> with
/// <see cref="HttpRequestError.InvalidResponse"/>, as SocketsHttpHandler throws.</remarks>
internal struct ChunkedDecoder
{
    // A size line (extensions included) or a trailer line longer than this is not an answer but a flood.
    private const int MaxLineBytes = 16 * 1024;
    private const int MaxTrailerBytes = Http1ResponseHead.MaxHeadBytes;

    private State _state;
    private long _remaining;
    private int _digits;
    private int _lineBytes;
    private int _trailerBytes;

    private enum State
    {
        Size,
        SizeWhitespace,
        Extension,
        SizeLineFeed,
        Data,
        DataCarriageReturn,
        DataLineFeed,
        TrailerLineStart,
        Trailer,
        TrailerLineFeed,
        FinalLineFeed,
        Done,
    }

    public readonly bool IsDone => _state == State.Done;

    /// <summary>Consumes framing bytes from the start of <paramref name="input"/> up to and including the next run
    /// of data bytes.</summary>
    /// <param name="dataOffset">Where that run starts in <paramref name="input"/>.</param>
    /// <param name="dataLength">Its length; 0 when <paramref name="input"/> held framing only (or the body ended).</param>
    /// <returns>Bytes of <paramref name="input"/> consumed; fewer than its length only when the body ended within
    /// it or a run of data was found.</returns>
    public int Decode(ReadOnlySpan<byte> input, out int dataOffset, out int dataLength)
    {
        dataOffset = 0;
        dataLength = 0;
        int i = 0;
        while (i < input.Length && _state != State.Done)
        {
            if (_state == State.Data)
            {
                int run = (int)Math.Min(_remaining, input.Length - i);
                dataOffset = i;
                dataLength = run;
                _remaining -= run;
                if (_remaining == 0)
                {
                    _state = State.DataCarriageReturn;
                }

                return i + run;
            }

            Step(input[i]);
            i++;
        }

        return i;
    }

    private void Step(byte b)
    {
        switch (_state)
        {
            case State.Size:
                if (char.IsAsciiHexDigit((char)b))
                {
                    // 15 hex digits are 2^60 bytes: past any body this engine will count, short of overflow.
                    if (++_digits > 15)
                    {
                        throw Invalid("chunk size too large");
                    }

                    _remaining = (_remaining << 4) | (long)HexValue(b);
                    return;
                }

                if (_digits == 0)
                {
                    throw Invalid("chunk size missing");
                }

                _lineBytes = _digits;
                _state = State.SizeWhitespace;
                Step(b);
                return;
            case State.SizeWhitespace:
                CountLine();
                _state = b switch
                {
                    (byte)' ' or (byte)'\t' => State.SizeWhitespace,
                    (byte)';' => State.Extension,
                    (byte)'\r' => State.SizeLineFeed,
                    (byte)'\n' => EndOfSizeLine(),
                    _ => throw Invalid("unexpected byte in the chunk size line"),
                };
                return;
            case State.Extension:
                CountLine();
                _state = b switch
                {
                    (byte)'\r' => State.SizeLineFeed,
                    (byte)'\n' => EndOfSizeLine(),
                    _ => State.Extension,
                };
                return;
            case State.SizeLineFeed:
                _state = b == '\n' ? EndOfSizeLine() : throw Invalid("chunk size line not ended by CRLF");
                return;
            case State.DataCarriageReturn:
                _state = b switch
                {
                    (byte)'\r' => State.DataLineFeed,
                    (byte)'\n' => NextChunk(),
                    _ => throw Invalid("chunk data not followed by CRLF"),
                };
                return;
            case State.DataLineFeed:
                _state = b == '\n' ? NextChunk() : throw Invalid("chunk data not followed by CRLF");
                return;
            case State.TrailerLineStart:
                _state = b switch
                {
                    (byte)'\r' => State.FinalLineFeed,
                    (byte)'\n' => State.Done,
                    _ => State.Trailer,
                };
                CountTrailer();
                return;
            case State.Trailer:
                CountTrailer();
                _state = b switch
                {
                    (byte)'\r' => State.TrailerLineFeed,
                    (byte)'\n' => State.TrailerLineStart,
                    _ => State.Trailer,
                };
                return;
            case State.TrailerLineFeed:
                CountTrailer();
                _state = b == '\n' ? State.TrailerLineStart : throw Invalid("trailer line not ended by CRLF");
                return;
            case State.FinalLineFeed:
                _state = b == '\n' ? State.Done : throw Invalid("chunked body not ended by CRLF");
                return;
            default:
                throw new InvalidOperationException($"No byte is read in state {_state}.");
        }
    }

    private State EndOfSizeLine() => _remaining == 0 ? State.TrailerLineStart : State.Data;

    private State NextChunk()
    {
        _digits = 0;
        _lineBytes = 0;
        return State.Size;
    }

    private void CountLine()
    {
        if (++_lineBytes > MaxLineBytes)
        {
            throw Invalid("chunk size line too long");
        }
    }

    private void CountTrailer()
    {
        if (++_trailerBytes > MaxTrailerBytes)
        {
            throw new HttpIOException(HttpRequestError.ConfigurationLimitExceeded, "The chunked body's trailers exceed 64 KiB.");
        }
    }

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    private static HttpIOException Invalid(string why) =>
        new(HttpRequestError.InvalidResponse, $"Received an invalid chunked body ({why}).");
}
