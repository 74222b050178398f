using System.Net.Sockets;
using System.Text;

namespace PerfTools.Tests.Http;

/// <summary>What a <see cref="LoopbackServer"/> handler gets for one request: the request and the raw connection,
/// so it can answer properly or misbehave (stall, send garbage, close or reset mid-response).</summary>
public sealed class LoopbackContext
{
    private readonly Socket _socket;

    internal LoopbackContext(LoopbackRequest request, Socket socket, Stream stream, CancellationToken aborted)
    {
        Request = request;
        _socket = socket;
        Stream = stream;
        Aborted = aborted;
    }

    public LoopbackRequest Request { get; }

    /// <summary>The connection's stream: whatever is written goes to the client as is.</summary>
    public Stream Stream { get; }

    /// <summary>Fires when the server is disposed; handlers that wait should wait on it.</summary>
    public CancellationToken Aborted { get; }

    /// <summary>Whether the handler ended the connection; the server then stops reading from it.</summary>
    public bool IsClosed { get; private set; }

    /// <summary>Writes a well-formed HTTP/1.1 response (see <see cref="LoopbackServer.Response"/>).</summary>
    public Task RespondAsync(int status, string body = "", params (string Name, string Value)[] headers) =>
        WriteAsync(LoopbackServer.Response(status, body, headers));

    public async Task WriteAsync(byte[] bytes)
    {
        await Stream.WriteAsync(bytes, Aborted);
        await Stream.FlushAsync(Aborted);
    }

    /// <summary>Writes text as ASCII, e.g. a hand-made (or broken) status line.</summary>
    public Task WriteAsync(string ascii) => WriteAsync(Encoding.ASCII.GetBytes(ascii));

    /// <summary>Waits until the server is disposed without answering: a server that accepted and hung.</summary>
    public async Task NeverAnswerAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, Aborted);
        }
        catch (OperationCanceledException)
        {
            // the server is shutting down
        }
    }

    /// <summary>Closes the connection gracefully (FIN), as a server that gives up mid-response.</summary>
    public void Close()
    {
        IsClosed = true;
        _socket.Shutdown(SocketShutdown.Both);
        _socket.Close();
    }

    /// <summary>Aborts the connection (RST): linger 0 makes the close abortive.</summary>
    public void Reset()
    {
        IsClosed = true;
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }
}
