using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;

namespace PerfTools.Shared.Http.Engine;

/// <summary>One keep-alive HTTP/1.1 connection, plain (a socket's <see cref="NetworkStream"/>) or TLS
/// (<see cref="SslStream"/>): writes a request, reads the response head into a buffer it keeps, counts the body.</summary>
/// <remarks>Used by one request at a time (its <see cref="Http1ConnectionPool"/> sees to that); any failure leaves it
/// unusable and the caller disposes it.</remarks>
internal sealed class Http1Connection : IDisposable
{
    private const int ReadBufferBytes = 16 * 1024;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly Http1ResponseHead _head = new();
    private byte[] _read = new byte[ReadBufferBytes];
    private byte[] _write = new byte[1024];
    private int _readStart;
    private int _readEnd;

    private Http1Connection(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
    }

    /// <summary>Requests answered on this connection so far; above 0 it came from the pool and may have been closed
    /// by the server while idle.</summary>
    public int Exchanges { get; private set; }

    /// <summary>Whether any byte of the current response arrived: a failure before that on a reused connection is a
    /// stale connection, and the request may be sent again on a new one.</summary>
    public bool ResponseStarted { get; private set; }

    /// <summary>Whether the last response left the connection fit for another request.</summary>
    public bool Reusable { get; private set; }

    public Http1ResponseHead Head => _head;

    /// <summary>Connects and, for https, shakes hands.</summary>
    /// <exception cref="HttpRequestException">Refused, unresolved, reset or a TLS failure, with the socket error or
    /// <see cref="AuthenticationException"/> inside, as SocketsHttpHandler reports them.</exception>
    public static async ValueTask<Http1Connection> OpenAsync(Http1Origin origin, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            try
            {
                EndPoint endPoint = IPAddress.TryParse(origin.ConnectHost, out IPAddress? address)
                    ? new IPEndPoint(address, origin.Port)
                    : new DnsEndPoint(origin.ConnectHost, origin.Port);
                await socket.ConnectAsync(endPoint, ct).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new HttpRequestException(HttpRequestError.ConnectionError, $"{e.Message} ({origin.ConnectHost}:{origin.Port})", e);
            }

            stream = new NetworkStream(socket, ownsSocket: true);
            if (origin.IsTls)
            {
                stream = await AuthenticateAsync(stream, origin, ct).ConfigureAwait(false);
            }

            return new Http1Connection(socket, stream);
        }
        catch
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="request"/> with <paramref name="traceparent"/> in its slot.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(Http1Request request, TraceIds trace, CancellationToken ct)
    {
        ResponseStarted = false;
        Reusable = false;
        byte[] bytes = request.Bytes;
        if (_write.Length < bytes.Length)
        {
            _write = new byte[Math.Max(bytes.Length, _write.Length * 2)];
        }

        bytes.CopyTo(_write, 0);
        trace.WriteTraceparent(_write.AsSpan(request.TraceparentOffset, Http1Request.TraceparentLength));
        await _stream.WriteAsync(_write.AsMemory(0, bytes.Length), ct).ConfigureAwait(false);
    }

    /// <summary>Reads the next response head into <see cref="Head"/>, skipping interim 1xx answers (not 101).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ReadHeadAsync(bool requestWasHead, CancellationToken ct)
    {
        while (true)
        {
            int consumed;
            while ((consumed = _head.Parse(_read.AsSpan(_readStart, _readEnd - _readStart), requestWasHead)) == 0)
            {
                if (!await FillAsync(ct).ConfigureAwait(false))
                {
                    throw new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely.");
                }
            }

            _readStart += consumed;
            if (_head.StatusCode is >= 100 and < 200 && _head.StatusCode != 101)
            {
                continue; // 100 Continue, 103 Early Hints: the answer follows
            }

            return;
        }
    }

    /// <summary>Reads the body <see cref="Head"/> announced to its end, keeping its first <paramref name="keepBytes"/>
    /// in <paramref name="kept"/>; returns its length.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<long> ReadBodyAsync(MemoryStream? kept, int keepBytes, CancellationToken ct)
    {
        long total = 0;
        switch (_head.Framing)
        {
            case BodyFraming.ContentLength:
                long remaining = _head.ContentLength;
                while (remaining > 0)
                {
                    if (_readEnd == _readStart && !await FillAsync(ct).ConfigureAwait(false))
                    {
                        throw new HttpIOException(
                            HttpRequestError.ResponseEnded,
                            $"The response ended prematurely, with at least {remaining} additional bytes expected.");
                    }

                    int run = (int)Math.Min(remaining, _readEnd - _readStart);
                    Keep(kept, keepBytes, _read.AsSpan(_readStart, run));
                    _readStart += run;
                    remaining -= run;
                    total += run;
                }

                break;
            case BodyFraming.Chunked:
                var decoder = new ChunkedDecoder();
                while (!decoder.IsDone)
                {
                    if (_readEnd == _readStart && !await FillAsync(ct).ConfigureAwait(false))
                    {
                        throw new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely.");
                    }

                    int used = decoder.Decode(_read.AsSpan(_readStart, _readEnd - _readStart), out int offset, out int length);
                    Keep(kept, keepBytes, _read.AsSpan(_readStart + offset, length));
                    _readStart += used;
                    total += length;
                }

                break;
            case BodyFraming.UntilClose:
                while (true)
                {
                    if (_readEnd == _readStart && !await FillAsync(ct).ConfigureAwait(false))
                    {
                        break;
                    }

                    Keep(kept, keepBytes, _read.AsSpan(_readStart, _readEnd - _readStart));
                    total += _readEnd - _readStart;
                    _readStart = _readEnd;
                }

                break;
        }

        Exchanges++;
        // Bytes beyond the response were never asked for: a connection that sends them is not to be trusted again.
        Reusable = _head.KeepAlive && _readStart == _readEnd;
        return total;
    }

    /// <summary>Skips a redirect's body when it is already here (a small one always is); otherwise the connection is
    /// not reused rather than wait for a body nobody reads.</summary>
    public void SkipBodyIfBuffered()
    {
        if (_head.BufferedBodyLength(_readEnd - _readStart) is { } body)
        {
            _readStart += body;
            Exchanges++;
            Reusable = _head.KeepAlive && _readStart == _readEnd;
        }
        else
        {
            Reusable = false;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }

    /// <summary>Room at the end of a read buffer holding <paramref name="start"/>..<paramref name="end"/> unread: the
    /// unread bytes moved to its start, the buffer grown only for a head that does not fit (the parser stops it past
    /// 64 KiB).</summary>
    internal static void MakeRoom(ref byte[] read, ref int start, ref int end)
    {
        if (start == end)
        {
            start = end = 0;
        }
        else if (end == read.Length)
        {
            int unread = end - start;
            if (start == 0)
            {
                Array.Resize(ref read, read.Length * 2);
            }
            else
            {
                Buffer.BlockCopy(read, start, read, 0, unread);
                start = 0;
                end = unread;
            }
        }
    }

    private static void Keep(MemoryStream? kept, int keepBytes, ReadOnlySpan<byte> bytes)
    {
        if (kept is not null && kept.Length < keepBytes && !bytes.IsEmpty)
        {
            kept.Write(bytes[..(int)Math.Min(bytes.Length, keepBytes - kept.Length)]);
        }
    }

    /// <summary>Reads more into the buffer (moving what is unread to its start, growing it only for a head that
    /// does not fit); false at the end of the stream.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> FillAsync(CancellationToken ct)
    {
        MakeRoom(ref _read, ref _readStart, ref _readEnd);
        int read = await _stream.ReadAsync(_read.AsMemory(_readEnd), ct).ConfigureAwait(false);
        if (read > 0)
        {
            ResponseStarted = true;
        }

        _readEnd += read;
        return read > 0;
    }

    private static async ValueTask<Stream> AuthenticateAsync(Stream inner, Http1Origin origin, CancellationToken ct)
    {
        string? rejection = null;
        var tls = new SslStream(inner, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = origin.TlsHost,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = origin.Insecure
                ? static (_, _, _, _) => true
                : (_, _, chain, errors) =>
                {
                    rejection = OutboundPolicyHandler.Rejection(chain, errors);
                    return rejection is null;
                },
        };
        try
        {
            await tls.AuthenticateAsClientAsync(options, ct).ConfigureAwait(false);
            return tls;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            // As OutboundPolicyHandler words it for HttpClient: the cause in one line, and the fix.
            throw rejection is not null
                ? new HttpRequestException(
                    HttpRequestError.SecureConnectionError,
                    $"TLS certificate of {origin.TlsHost} rejected ({rejection}); use --insecure if you trust the server")
                : new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established, see inner exception.", e);
        }
    }
}
