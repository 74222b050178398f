using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PerfTools.Tests.Http;

/// <summary>A real HTTP/1.1 server on 127.0.0.1, port 0, for testing the load engine over actual sockets
/// (after dotnet/runtime's <c>LoopbackServer</c>).</summary>
/// <remarks>
/// Each connection is served in a loop: read one request (head plus <c>Content-Length</c> body), hand it to the
/// handler, repeat until the client closes or the handler calls <see cref="LoopbackContext.Close"/> or
/// <see cref="LoopbackContext.Reset"/>. The handler writes the response itself, so it can also stall or send
/// garbage. Usage:
/// <code>
/// await using var server = LoopbackServer.Start(ctx => ctx.RespondAsync(200, "{}"));
/// var url = new Uri(server.BaseUrl, "/boards");
/// </code>
/// Disposal cancels <see cref="LoopbackContext.Aborted"/>, closes every connection and waits at most 2 s.
/// </remarks>
public sealed class LoopbackServer : IAsyncDisposable
{
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private static readonly TimeSpan ShutdownWait = TimeSpan.FromSeconds(2);

    private readonly TcpListener _listener;
    private readonly Func<LoopbackContext, Task> _handler;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<LoopbackRequest> _requests = new();
    private readonly ConcurrentQueue<Exception> _faults = new();
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private readonly Task _acceptLoop;
    private int _acceptedConnections;

    private LoopbackServer(Func<LoopbackContext, Task> handler, X509Certificate2? certificate)
    {
        _handler = handler;
        _certificate = certificate;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        BaseUrl = new Uri($"{(certificate is null ? "http" : "https")}://127.0.0.1:{Port}/");
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary><c>http://127.0.0.1:{port}/</c> (<c>https</c> with TLS).</summary>
    public Uri BaseUrl { get; }

    /// <summary>Connections accepted so far: 1 after many sequential requests means keep-alive worked.</summary>
    public int AcceptedConnections => Volatile.Read(ref _acceptedConnections);

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<LoopbackRequest> Requests => _requests.ToArray();

    /// <summary>Unexpected handler or server errors (not client disconnects), for diagnosing a failing test.</summary>
    public IReadOnlyList<Exception> Faults => _faults.ToArray();

    /// <summary>Starts a server that hands every request to <paramref name="handler"/>.</summary>
    public static LoopbackServer Start(Func<LoopbackContext, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return new LoopbackServer(handler, null);
    }

    /// <summary>As <see cref="Start(Func{LoopbackContext, Task})"/>, speaking HTTPS with <paramref name="certificate"/>
    /// (which needs its private key). A client that rejects the certificate ends the connection in the handshake;
    /// no request is recorded.</summary>
    public static LoopbackServer StartTls(X509Certificate2 certificate, Func<LoopbackContext, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(handler);
        return new LoopbackServer(handler, certificate);
    }

    /// <summary>Starts a server that answers every request with <paramref name="status"/> and <paramref name="body"/>.</summary>
    public static LoopbackServer Start(int status = 200, string body = "ok") =>
        Start(ctx => ctx.RespondAsync(status, body));

    /// <summary>A keep-alive HTTP/1.1 response with <c>Content-Length</c>; <paramref name="headers"/> are added as given.</summary>
    public static byte[] Response(int status, string body = "", params (string Name, string Value)[] headers)
    {
        byte[] bodyBytes = Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {ReasonPhrase(status)}\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {bodyBytes.Length}\r\n");
        foreach ((string name, string value) in headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        head.Append("\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. bodyBytes];
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        foreach (Socket socket in _connections.Keys)
        {
            socket.Dispose();
        }

        Task all = Task.WhenAll(_connections.Values.Append(_acceptLoop));
        await Task.WhenAny(all, Task.Delay(ShutdownWait));
        _stopping.Dispose();
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                Socket socket = await _listener.AcceptSocketAsync(_stopping.Token);
                Interlocked.Increment(ref _acceptedConnections);
                _connections[socket] = Task.Run(() => ServeAsync(socket));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // the listener stopped
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        socket.NoDelay = true;
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            if (_certificate is not null)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                await tls.AuthenticateAsServerAsync(_certificate, clientCertificateRequired: false, checkCertificateRevocation: false);
            }

            var reader = new RequestReader(stream);
            while (!_stopping.IsCancellationRequested)
            {
                LoopbackRequest? request = await reader.ReadAsync(_stopping.Token);
                if (request is null)
                {
                    break;
                }

                _requests.Enqueue(request);
                var context = new LoopbackContext(request, socket, stream, _stopping.Token);
                await _handler(context);
                if (context.IsClosed)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException
                                       or AuthenticationException)
        {
            // the client went away (or refused our certificate) or the server is stopping
        }
        catch (Exception e)
        {
            _faults.Enqueue(e);
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    /// <summary>Reads requests off one connection, keeping bytes that arrive beyond the current request.</summary>
    private sealed class RequestReader(Stream stream)
    {
        private byte[] _buffer = new byte[8192];
        private int _count;

        /// <summary>The next request, or null when the client closed the connection.</summary>
        public async Task<LoopbackRequest?> ReadAsync(CancellationToken ct)
        {
            int headEnd;
            while ((headEnd = _buffer.AsSpan(0, _count).IndexOf(HeadEnd)) < 0)
            {
                if (!await FillAsync(ct))
                {
                    return null;
                }
            }

            string[] lines = Encoding.ASCII.GetString(_buffer, 0, headEnd).Split("\r\n");
            string[] requestLine = lines[0].Split(' ');
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string line in lines.Skip(1))
            {
                int colon = line.IndexOf(':');
                string name = line[..colon].Trim();
                string value = line[(colon + 1)..].Trim();
                headers[name] = headers.TryGetValue(name, out string? earlier) ? $"{earlier}, {value}" : value;
            }

            int bodyLength = headers.TryGetValue("Content-Length", out string? length)
                ? int.Parse(length, CultureInfo.InvariantCulture)
                : 0;
            int consumed = headEnd + HeadEnd.Length;
            while (_count - consumed < bodyLength)
            {
                if (!await FillAsync(ct))
                {
                    return null;
                }
            }

            byte[] body = _buffer.AsSpan(consumed, bodyLength).ToArray();
            consumed += bodyLength;
            Buffer.BlockCopy(_buffer, consumed, _buffer, 0, _count - consumed);
            _count -= consumed;
            return new LoopbackRequest(requestLine[0], requestLine[1], headers, body);
        }

        private async Task<bool> FillAsync(CancellationToken ct)
        {
            if (_count == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            int read = await stream.ReadAsync(_buffer.AsMemory(_count), ct);
            _count += read;
            return read > 0;
        }
    }
}
