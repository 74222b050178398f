using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace PerfTools.Tests.Fakes;

/// <summary>One Chrome DevTools Protocol connection (the browser's websocket): numbered commands answered by id, and
/// events of flattened target sessions handed to their session's handler.</summary>
/// <remarks>Protocol: https://chromedevtools.github.io/devtools-protocol/ — a command is
/// <c>{"id","method","params","sessionId"?}</c>, its answer <c>{"id","result"}</c> or <c>{"id","error":{"code","message"}}</c>,
/// an event <c>{"method","params","sessionId"?}</c>.</remarks>
internal sealed class CdpConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JObject>> _pending = new();
    private readonly ConcurrentDictionary<string, Action<string, JObject>> _sessions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sendLock = new(1, 1); // a websocket allows one send at a time
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private int _nextId;
    private string? _closedBecause;

    private CdpConnection(ClientWebSocket socket, TimeSpan callTimeout)
    {
        _socket = socket;
        CallTimeout = callTimeout;
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>How long one command may wait for its answer.</summary>
    public TimeSpan CallTimeout { get; }

    public static async Task<CdpConnection> ConnectAsync(Uri webSocketUrl, TimeSpan callTimeout, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(callTimeout);
        try
        {
            await socket.ConnectAsync(webSocketUrl, limit.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new CdpConnection(socket, callTimeout);
    }

    /// <summary>Events of <paramref name="sessionId"/> go to <paramref name="handler"/> (method, params), on the
    /// receiving thread: keep it short.</summary>
    public void Subscribe(string sessionId, Action<string, JObject> handler) => _sessions[sessionId] = handler;

    public void Unsubscribe(string sessionId) => _sessions.TryRemove(sessionId, out _);

    /// <summary>Sends <paramref name="method"/> and waits at most <see cref="CallTimeout"/> for its result.</summary>
    /// <exception cref="TimeoutException">No answer within <see cref="CallTimeout"/>.</exception>
    /// <exception cref="InvalidOperationException">The browser answered with an error, or the connection closed.</exception>
    public async Task<JObject> SendAsync(string method, JObject? parameters = null, string? sessionId = null, CancellationToken ct = default)
    {
        int id = Interlocked.Increment(ref _nextId);
        var message = new JObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JObject() };
        if (sessionId is not null)
        {
            message["sessionId"] = sessionId;
        }

        var answer = new TaskCompletionSource<JObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(CallTimeout);
        JObject response;
        try
        {
            if (_closedBecause is { } why)
            {
                throw new InvalidOperationException($"CDP {method}: the connection is closed ({why})");
            }

            byte[] bytes = Encoding.UTF8.GetBytes(message.ToString(Formatting.None));
            await _sendLock.WaitAsync(limit.Token);
            try
            {
                await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, limit.Token);
            }
            finally
            {
                _sendLock.Release();
            }

            response = await answer.Task.WaitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"CDP {method}: no answer within {CallTimeout.TotalSeconds} s"));
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }

        if (response["error"] is JObject error)
        {
            throw new InvalidOperationException($"CDP {method} failed: {error["message"]} (code {error["code"]})");
        }

        return response["result"] as JObject ?? new JObject();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _receiving.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // the socket is aborted below, which ends the loop
        }

        _socket.Abort();
        _socket.Dispose();
        _sendLock.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                ValueWebSocketReceiveResult received = await _socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    Close("the browser closed the websocket");
                    return;
                }

                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                {
                    continue; // screenshots and PDFs arrive in many frames
                }

                var json = JObject.Parse(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                message.SetLength(0);
                Dispatch(json);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            Close("disposed");
        }
        catch (Exception e) when (e is WebSocketException or JsonException or ObjectDisposedException)
        {
            Close($"{e.GetType().Name}: {e.Message}");
        }
    }

    private void Dispatch(JObject json)
    {
        if (json["id"] is JValue { Type: JTokenType.Integer } id)
        {
            if (_pending.TryGetValue((int)id, out var answer))
            {
                answer.TrySetResult(json);
            }

            return;
        }

        if (json["method"] is JValue { Type: JTokenType.String } method
            && json["sessionId"] is JValue { Type: JTokenType.String } session
            && _sessions.TryGetValue((string)session!, out var handler))
        {
            handler((string)method!, json["params"] as JObject ?? new JObject());
        }
    }

    private void Close(string why)
    {
        _closedBecause ??= why;
        foreach (var answer in _pending.Values)
        {
            answer.TrySetException(new InvalidOperationException($"CDP connection closed: {why}"));
        }
    }
}
