using System.Buffers.Text;
using System.Text;

namespace PerfTools.Shared.Http.Engine;

/// <summary>How a response body is delimited (RFC 9112 §6.3).</summary>
internal enum BodyFraming
{
    /// <summary>No body: HEAD, 1xx, 204, 304.</summary>
    None,
    ContentLength,
    Chunked,
    /// <summary>Neither length nor chunked: the body runs until the server closes.</summary>
    UntilClose,
}

/// <summary>The parts of an HTTP/1.x response head the load engine reads, parsed from bytes; one instance per
/// connection, reset for each response, so an ordinary response costs no allocation.</summary>
/// <remarks>Only what a <see cref="RequestResult"/> needs becomes a string: the headers <c>Location</c>,
/// <c>X-Trace-ID</c>, <c>X-Response-Time-Ms</c>, <c>Server-Timing</c> when present, and the reason phrase of an
/// error status. Errors are the <see cref="HttpRequestException"/>s SocketsHttpHandler throws for the same bytes
/// (<see cref="HttpRequestError.InvalidResponse"/>, <see cref="HttpRequestError.ConfigurationLimitExceeded"/>), with
/// messages of the same kind, so <see cref="HttpLoadClient"/> classifies both engines alike.</remarks>
internal sealed class Http1ResponseHead
{
    /// <summary>SocketsHttpHandler's default <c>MaxResponseHeadersLength</c>: 64 KiB.</summary>
    public const int MaxHeadBytes = 64 * 1024;

    private const int MaxExcerptChars = 40;

    // Whether a Location or X-Trace-ID was seen before, so a third copy does not bring the value back.
    private bool _repeatedLocation;
    private bool _repeatedTraceId;

    public int StatusCode { get; private set; }

    public bool IsHttp10 { get; private set; }

    /// <summary>The reason phrase as sent, kept only for a status of 400 or more (the error message names it);
    /// null when the status line has none.</summary>
    public string? ReasonPhrase { get; private set; }

    public BodyFraming Framing { get; private set; }

    /// <summary>Declared body length; -1 without a Content-Length.</summary>
    public long ContentLength { get; private set; }

    /// <summary>Whether the connection may carry another request after this response's body.</summary>
    public bool KeepAlive { get; private set; }

    /// <summary>The one <c>Location</c> value; null when absent or repeated (neither is a usable target).</summary>
    public string? Location { get; private set; }

    /// <summary>The <c>X-Trace-ID</c> value; null when absent or repeated (several values are no trace id).</summary>
    public string? TraceId { get; private set; }

    public List<string>? ResponseTimeValues { get; private set; }

    public List<string>? ServerTimingValues { get; private set; }

    /// <summary>The length of the body this head announces when all of it is among <paramref name="available"/>
    /// buffered bytes (0 for none), so a redirect's body can be skipped and its connection reused; null when it is not
    /// all here (or its end is the close).</summary>
    public int? BufferedBodyLength(int available) => Framing switch
    {
        BodyFraming.None => 0,
        BodyFraming.ContentLength when ContentLength <= available => (int)ContentLength,
        _ => null,
    };

    /// <summary>Parses the response head at the start of <paramref name="buffer"/>.</summary>
    /// <param name="requestWasHead">A HEAD request: no body whatever the head says.</param>
    /// <returns>Bytes of the head, its blank line included; 0 when <paramref name="buffer"/> does not yet hold all
    /// of it.</returns>
    /// <exception cref="HttpRequestException">The head is not HTTP/1.x, or longer than <see cref="MaxHeadBytes"/>.</exception>
    public int Parse(ReadOnlySpan<byte> buffer, bool requestWasHead)
    {
        Reset();
        int lineEnd = buffer.IndexOf((byte)'\n');
        if (lineEnd < 0)
        {
            ThrowIfTooLong(buffer.Length);
            // A status line needs 12 bytes; whatever arrived must at least start like one.
            if (!"HTTP/1."u8.StartsWith(buffer[..Math.Min(buffer.Length, 7)]))
            {
                throw InvalidStatusLine(buffer);
            }

            return 0;
        }

        ParseStatusLine(TrimCr(buffer[..lineEnd]));
        int position = lineEnd + 1;
        bool chunked = false, close = false, keepAlive = false;
        int lengthHeaders = 0;
        while (true)
        {
            int next = buffer[position..].IndexOf((byte)'\n');
            if (next < 0)
            {
                ThrowIfTooLong(buffer.Length);
                return 0;
            }

            ReadOnlySpan<byte> line = TrimCr(buffer.Slice(position, next));
            position += next + 1;
            ThrowIfTooLong(position);
            if (line.IsEmpty)
            {
                break;
            }

            int colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[0] is (byte)' ' or (byte)'\t')
            {
                throw new HttpRequestException(HttpRequestError.InvalidResponse, $"Received an invalid header line: '{Excerpt(line)}'.");
            }

            ReadOnlySpan<byte> name = line[..colon];
            if (!IsToken(name))
            {
                throw new HttpRequestException(HttpRequestError.InvalidResponse, $"Received an invalid header name: '{Excerpt(name)}'.");
            }

            ReadOnlySpan<byte> value = line[(colon + 1)..].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                lengthHeaders++;
                ContentLength = lengthHeaders == 1 && Utf8Parser.TryParse(value, out long length, out int used) && used == value.Length
                    && length >= 0
                    ? length
                    : throw new HttpRequestException(HttpRequestError.InvalidResponse, $"malformed Content-Length header '{Excerpt(value)}'");
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                chunked |= HasToken(value, "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                close |= HasToken(value, "close"u8);
                keepAlive |= HasToken(value, "keep-alive"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Location"u8))
            {
                Location = Location is null && !_repeatedLocation ? Encoding.Latin1.GetString(value) : null;
                _repeatedLocation = true;
            }
            else if (Ascii.EqualsIgnoreCase(name, "X-Trace-ID"u8))
            {
                TraceId = TraceId is null && !_repeatedTraceId ? Encoding.Latin1.GetString(value) : null;
                _repeatedTraceId = true;
            }
            else if (Ascii.EqualsIgnoreCase(name, "X-Response-Time-Ms"u8))
            {
                (ResponseTimeValues ??= []).Add(Encoding.Latin1.GetString(value));
            }
            else if (Ascii.EqualsIgnoreCase(name, "Server-Timing"u8))
            {
                (ServerTimingValues ??= []).Add(Encoding.Latin1.GetString(value));
            }
        }

        Framing = requestWasHead || StatusCode < 200 || StatusCode is 204 or 304 ? BodyFraming.None
            : chunked ? BodyFraming.Chunked
            : lengthHeaders > 0 ? BodyFraming.ContentLength
            : BodyFraming.UntilClose;
        // HTTP/1.1 keeps the connection unless told otherwise; 1.0 only when asked to (RFC 9112 §9.3).
        KeepAlive = !close && (!IsHttp10 || keepAlive) && Framing != BodyFraming.UntilClose && StatusCode != 101;
        return position;
    }

    private void Reset()
    {
        StatusCode = 0;
        IsHttp10 = false;
        ReasonPhrase = null;
        Framing = BodyFraming.None;
        ContentLength = -1;
        KeepAlive = false;
        Location = null;
        TraceId = null;
        _repeatedLocation = false;
        _repeatedTraceId = false;
        ResponseTimeValues = null;
        ServerTimingValues = null;
    }

    // "HTTP/1.1 200 OK", "HTTP/1.0 404", "HTTP/1.1 200 " (an empty reason): as SocketsHttpHandler accepts them.
    private void ParseStatusLine(ReadOnlySpan<byte> line)
    {
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || !char.IsAsciiDigit((char)line[7]) || line[8] != ' '
            || !char.IsAsciiDigit((char)line[9]) || !char.IsAsciiDigit((char)line[10]) || !char.IsAsciiDigit((char)line[11])
            || (line.Length > 12 && line[12] != ' ') || line[9] == '0')
        {
            throw InvalidStatusLine(line);
        }

        IsHttp10 = line[7] == '0';
        StatusCode = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        // "HTTP/1.1 404 " has an empty reason; "HTTP/1.1 404" none, which reads as the status's usual phrase.
        if (StatusCode >= 400 && line.Length > 12)
        {
            ReasonPhrase = Encoding.Latin1.GetString(line[13..]);
        }
    }

    private static void ThrowIfTooLong(int headBytes)
    {
        if (headBytes > MaxHeadBytes)
        {
            throw new HttpRequestException(
                HttpRequestError.ConfigurationLimitExceeded,
                $"The HTTP response headers length exceeded the set limit of {MaxHeadBytes} bytes.");
        }
    }

    private static HttpRequestException InvalidStatusLine(ReadOnlySpan<byte> line) =>
        new(HttpRequestError.InvalidResponse, $"Received an invalid status line: '{Excerpt(line)}'.");

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) => line.EndsWith((byte)'\r') ? line[..^1] : line;

    /// <summary>Whether a comma-separated header value lists <paramref name="token"/> (case-insensitive).</summary>
    private static bool HasToken(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        foreach (Range part in value.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(value[part].Trim(" \t"u8), token))
            {
                return true;
            }
        }

        return false;
    }

    // RFC 9110 §5.6.2 tchar.
    private static bool IsToken(ReadOnlySpan<byte> name)
    {
        foreach (byte b in name)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || "!#$%&'*+-.^_`|~"u8.Contains(b)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The start of what the server sent, printable and one line, for an error message.</summary>
    internal static string Excerpt(ReadOnlySpan<byte> bytes)
    {
        ReadOnlySpan<byte> part = bytes[..Math.Min(bytes.Length, MaxExcerptChars)];
        Span<char> text = stackalloc char[part.Length];
        for (int i = 0; i < part.Length; i++)
        {
            text[i] = part[i] is >= 0x20 and < 0x7F ? (char)part[i] : '?';
        }

        return bytes.Length > MaxExcerptChars ? string.Concat(text, "…") : new string(text);
    }
}
