using System.Net;
using System.Net.Sockets;

namespace PerfTools.Tests.Hardening;

/// <summary>A TCP server on a free 127.0.0.1 port that is not the protocol the client expects: it answers every
/// connection with fixed bytes and closes it, or accepts and never says a word. For a <c>--database-url</c> pointed at
/// something that is not PostgreSQL (LoopbackServer would wait for an HTTP request that never comes).</summary>
internal sealed class RawTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _held = [];
    private readonly Task _loop;
    private int _accepted;

    /// <param name="answer">Written to each connection once something arrived, then closed; null to hold it silent.</param>
    public RawTcpServer(byte[]? answer)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(() => AcceptAsync(answer));
    }

    public int Port { get; }

    public int AcceptedConnections => Volatile.Read(ref _accepted);

    /// <summary>Answers like an HTTP server that got a request it cannot read.</summary>
    public static RawTcpServer Http() => new("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }

        lock (_held)
        {
            _held.ForEach(c => c.Dispose());
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(byte[]? answer)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _accepted);
            if (answer is null)
            {
                lock (_held)
                {
                    _held.Add(client);
                }

                continue;
            }

            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        NetworkStream stream = client.GetStream();
                        // Whatever the client says first (Npgsql: its SSLRequest), at least a byte of it.
                        await stream.ReadAtLeastAsync(new byte[256], 1, throwOnEndOfStream: false, _stop.Token);
                        await stream.WriteAsync(answer, _stop.Token);
                    }
                    catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
                    {
                        // the client went away first
                    }
                }
            });
        }
    }
}
