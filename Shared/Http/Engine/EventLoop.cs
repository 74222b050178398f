using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PerfTools.Shared.Http.Engine;

/// <summary>One thread of the closed model's event loops (<see cref="ClosedLoopRunner"/>): its share of the
/// connections, each sending one request after another, driven by its own epoll instance, as wrk runs one loop per
/// thread. No task, no await, no .NET socket engine between the kernel and the parser.</summary>
/// <remarks>
/// Each connection is a small state machine over a non-blocking socket watched edge-triggered: connect, write the
/// request, parse the head (<see cref="Http1ResponseHead"/>) and the body (length, chunked, or to the close) off its
/// buffer, record, write the next. It measures and words every outcome as <see cref="Http1Engine"/> does (same start,
/// TTFB and total, same redirects by <see cref="OutboundPolicyHandler"/>'s rules, same exceptions classified by
/// <see cref="HttpLoadClient.Classify"/>, the same one resend of a request that meets a closed keep-alive connection
/// before any byte of its answer). Timeouts are checked every <see cref="TickMs"/> ms, the whole exchange against one
/// limit. Results go to the sink on this thread.
/// </remarks>
internal sealed class EventLoop
{
    /// <summary>How often, at most, the loop looks up from its sockets (stop, timeouts).</summary>
    public const int TickMs = 10;

    private readonly ClosedLoopRunner _run;
    private readonly Connection[] _connections;
    private readonly Epoll.Event[] _events = new Epoll.Event[256];
    private int _epoll = -1;
    private int _done; // connections that will start no more requests

    public EventLoop(ClosedLoopRunner run, int connections)
    {
        _run = run;
        _connections = new Connection[connections];
        for (int i = 0; i < connections; i++)
        {
            _connections[i] = new Connection(this, i);
        }
    }

    /// <summary>Requests this loop started (redirect hops and resends not counted).</summary>
    public long Started { get; private set; }

    /// <summary>Runs until the run stops and every connection's request has ended (or the run aborts).</summary>
    public void Run()
    {
        _epoll = Epoll.Create();
        try
        {
            foreach (Connection c in _connections)
            {
                c.StartNext();
            }

            long lastScan = Stopwatch.GetTimestamp();
            while (true)
            {
                if (_run.Aborting)
                {
                    foreach (Connection c in _connections)
                    {
                        c.Abort();
                    }

                    return;
                }

                if (_done == _connections.Length)
                {
                    return; // every connection has ended its last request
                }

                int n = Epoll.Wait(_epoll, _events, TickMs);
                for (int e = 0; e < n; e++)
                {
                    ulong data = _events[e].Data;
                    Connection c = _connections[(int)(data & 0xFFFF_FFFF)];
                    if ((uint)(data >> 32) == c.Generation)
                    {
                        c.OnEvents(_events[e].Events);
                    }
                }

                if (Stopwatch.GetElapsedTime(lastScan).TotalMilliseconds >= TickMs)
                {
                    lastScan = Stopwatch.GetTimestamp();
                    foreach (Connection c in _connections)
                    {
                        c.CheckTimeout();
                    }
                }
            }
        }
        finally
        {
            foreach (Connection c in _connections)
            {
                c.Close();
            }

            Epoll.Close(_epoll);
        }
    }

    private enum Phase
    {
        Idle,
        Connecting,
        Writing,
        ReadingHead,
        ReadingBody,
    }

    /// <summary>One connection and the request it carries.</summary>
    private sealed class Connection(EventLoop loop, int slot)
    {
        private const int ReadBufferBytes = 16 * 1024;

        private readonly Http1ResponseHead _head = new();
        private Socket? _socket;
        private byte[] _read = new byte[ReadBufferBytes];
        private byte[] _write = new byte[1024];
        private int _readStart;
        private int _readEnd;
        private int _writeLength;
        private int _writeOffset;
        private int _address;
        private int _connectBase; // of the addresses, the one a connect tries first (the one that last worked)
        private int _connectTried; // and the offset from it the socket being connected tries
        private int _exchanges; // answers on this socket: above 0 it may have been closed by the server while idle
        private bool _responseStarted;
        private Phase _phase;
        private int _hop; // bumped at every exchange (request, redirect hop, resend): a read loop stops at a new one
        private bool _starting;
        private bool _startAgain;

        // The request in flight.
        private Http1Request _request = null!;
        private TraceIds _trace;
        private DateTimeOffset _startedAt;
        private long _start;
        private int _followed;
        private int _status;
        private long _ttfbMicros;
        private string? _traceId;
        private double? _serverTimeMs;
        private string? _reason;
        private ErrorKind _error;
        private string? _message;
        private long _remaining;
        private long _bodyBytes;
        private ChunkedDecoder _chunked;

        /// <summary>Bumped at every new socket: events still queued for a closed one are told apart by it.</summary>
        public uint Generation { get; private set; }

        /// <summary>A request is in flight.</summary>
        public bool Busy => _phase != Phase.Idle;

        /// <summary>Starts the next request unless the run is stopping. A request that ends at once (a name that does
        /// not resolve) starts the next from this loop, not by recursion.</summary>
        public void StartNext()
        {
            if (_starting)
            {
                _startAgain = true;
                return;
            }

            _starting = true;
            try
            {
                do
                {
                    _startAgain = false;
                    StartOne();
                }
                while (_startAgain);
            }
            finally
            {
                _starting = false;
            }
        }

        private void StartOne()
        {
            if (!loop._run.TryStart())
            {
                Close();
                _phase = Phase.Idle;
                loop._done++;
                return;
            }

            loop.Started++;
            ClosedLoopRunner run = loop._run;
            run.BeforeSend();
            _request = run.Request;
            _followed = 0;
            _status = 0;
            _ttfbMicros = -1;
            _traceId = null;
            _serverTimeMs = null;
            _reason = null;
            _error = ErrorKind.None;
            _message = null;
            _bodyBytes = 0;
            _trace = TraceIds.Create();
            _startedAt = DateTimeOffset.UtcNow;
            _start = Stopwatch.GetTimestamp();
            Send();
        }

        public void OnEvents(uint events)
        {
            try
            {
                switch (_phase)
                {
                    case Phase.Connecting when (events & (Epoll.Out | Epoll.Err | Epoll.Hup)) != 0:
                        Connected();
                        break;
                    case Phase.Writing when (events & (Epoll.Out | Epoll.Err | Epoll.Hup)) != 0:
                        if (Write())
                        {
                            Read(); // the answer may have come while the request waited to be written: its edge is gone
                        }

                        break;
                    case Phase.ReadingHead or Phase.ReadingBody:
                        Read();
                        break;
                }
            }
            catch (Exception e) when (e is IOException or SocketException or HttpRequestException or HttpIOException)
            {
                Fail(e);
            }
        }

        /// <summary>Ends the request as timed out when it has run past the limit.</summary>
        public void CheckTimeout()
        {
            if (Busy && Stopwatch.GetElapsedTime(_start) >= loop._run.Timeout)
            {
                Finish(HttpLoadClient.Classify(new OperationCanceledException(), CancellationToken.None, timedOut: true, loop._run.Timeout), reusable: false);
            }
        }

        /// <summary>Ends the request in flight as cancelled by the caller (the run's drain is over).</summary>
        public void Abort()
        {
            if (Busy)
            {
                var canceled = new CancellationToken(canceled: true);
                (ErrorKind kind, string message) = HttpLoadClient.Classify(new OperationCanceledException(canceled), canceled, timedOut: false, loop._run.Timeout);
                _error = kind;
                _message = message;
                Deliver();
                Close();
                _phase = Phase.Idle;
            }
        }

        public void Close()
        {
            if (_socket is not null)
            {
                _socket.Dispose(); // closing the descriptor also takes it out of the epoll set
                _socket = null;
            }

            _readStart = _readEnd = 0;
            _exchanges = 0;
        }

        /// <summary>Writes the request in flight (on a new connection when there is none); a failure ends it.</summary>
        private void Send()
        {
            try
            {
                SendOrConnect();
            }
            catch (Exception e) when (e is IOException or SocketException or HttpRequestException or HttpIOException)
            {
                Fail(e);
            }
        }

        private void SendOrConnect()
        {
            _hop++;
            byte[] bytes = _request.Bytes;
            if (_write.Length < bytes.Length)
            {
                _write = new byte[Math.Max(bytes.Length, _write.Length * 2)];
            }

            bytes.CopyTo(_write, 0);
            _trace.WriteTraceparent(_write.AsSpan(_request.TraceparentOffset, Http1Request.TraceparentLength));
            _writeLength = bytes.Length;
            _writeOffset = 0;
            _responseStarted = false;
            if (_socket is null)
            {
                Connect(0);
            }
            else
            {
                _phase = Phase.Writing;
                Write();
            }
        }

        /// <summary>Opens a socket to the origin's address <paramref name="first"/> onward (a name's addresses in
        /// turn, as a connect to a DnsEndPoint tries them), the one that last worked first.</summary>
        private void Connect(int first)
        {
            ClosedLoopRunner run = loop._run;
            if (run.Addresses is not { Length: > 0 } addresses)
            {
                Fail(run.ResolveError!);
                return;
            }

            if (first == 0)
            {
                _connectBase = _address;
            }

            SocketError last = SocketError.ConnectionRefused;
            for (int a = first; a < addresses.Length; a++)
            {
                int index = (_connectBase + a) % addresses.Length;
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, Blocking = false };
                Generation++;
                try
                {
                    socket.Connect(new IPEndPoint(addresses[index], run.Port));
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
                {
                    // under way: the socket turns writable when it is done
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    last = e.SocketErrorCode;
                    continue;
                }

                _socket = socket;
                _address = index;
                _connectTried = a;
                int errno = Epoll.Add(loop._epoll, (int)socket.Handle, Epoll.In | Epoll.Out | Epoll.RdHup | Epoll.EdgeTriggered,
                    ((ulong)Generation << 32) | (uint)slot);
                if (errno != 0)
                {
                    Close();
                    Fail(new IOException($"epoll_ctl failed (errno {errno})"));
                    return;
                }

                _phase = Phase.Connecting;
                return;
            }

            ConnectFailed(last);
        }

        private void Connected()
        {
            var error = (SocketError)(int)_socket!.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (error != SocketError.Success)
            {
                Close();
                int next = _connectTried + 1;
                if (next < loop._run.Addresses!.Length)
                {
                    Connect(next);
                    return;
                }

                ConnectFailed(error);
                return;
            }

            _phase = Phase.Writing;
            Write();
        }

        private void ConnectFailed(SocketError error)
        {
            var cause = new SocketException((int)error);
            Fail(new HttpRequestException(HttpRequestError.ConnectionError, $"{cause.Message} ({loop._run.Host}:{loop._run.Port})", cause));
        }

        /// <summary>Writes what is left of the request; false when the socket is full (its turning writable resumes it).</summary>
        private bool Write()
        {
            while (_writeOffset < _writeLength)
            {
                int sent = _socket!.Send(_write, _writeOffset, _writeLength - _writeOffset, SocketFlags.None, out SocketError error);
                if (error == SocketError.WouldBlock)
                {
                    _phase = Phase.Writing;
                    return false;
                }

                if (error != SocketError.Success)
                {
                    var cause = new SocketException((int)error);
                    throw new IOException($"Unable to write data to the transport connection: {cause.Message}.", cause);
                }

                _writeOffset += sent;
            }

            // The answer cannot be here yet; its arrival is the next edge. (No read that would only say "not yet".)
            _phase = Phase.ReadingHead;
            return true;
        }

        /// <summary>Reads what the socket holds and parses it, until it would block or the answer is complete (then the
        /// next request is written and its answer is the next edge).</summary>
        private void Read()
        {
            int hop = _hop;
            while (_phase is Phase.ReadingHead or Phase.ReadingBody && hop == _hop)
            {
                Http1Connection.MakeRoom(ref _read, ref _readStart, ref _readEnd);
                int read = _socket!.Receive(_read, _readEnd, _read.Length - _readEnd, SocketFlags.None, out SocketError error);
                if (error == SocketError.WouldBlock)
                {
                    return;
                }

                if (error != SocketError.Success)
                {
                    var cause = new SocketException((int)error);
                    throw new IOException($"Unable to read data from the transport connection: {cause.Message}.", cause);
                }

                if (read == 0)
                {
                    Ended();
                    return;
                }

                _responseStarted = true;
                _readEnd += read;
                Parse();
            }
        }

        /// <summary>The server closed its side: the end of a body read to the close, else an answer cut short.</summary>
        private void Ended()
        {
            if (_phase == Phase.ReadingBody && _head.Framing == BodyFraming.UntilClose)
            {
                _exchanges++;
                Complete(reusable: false);
                return;
            }

            string message = _phase == Phase.ReadingBody && _head.Framing == BodyFraming.ContentLength
                ? $"The response ended prematurely, with at least {_remaining} additional bytes expected."
                : "The response ended prematurely.";
            throw new HttpIOException(HttpRequestError.ResponseEnded, message);
        }

        private void Parse()
        {
            if (_phase == Phase.ReadingHead && !ParseHead())
            {
                return;
            }

            if (_phase == Phase.ReadingBody)
            {
                ParseBody();
            }
        }

        /// <summary>The head, when all of it is here: a redirect followed (a new exchange), or the figures it gives.</summary>
        private bool ParseHead()
        {
            while (true)
            {
                int consumed = _head.Parse(_read.AsSpan(_readStart, _readEnd - _readStart), _request.IsHead);
                if (consumed == 0)
                {
                    return false;
                }

                _readStart += consumed;
                if (_head.StatusCode is >= 100 and < 200 && _head.StatusCode != 101)
                {
                    continue; // 100 Continue, 103 Early Hints: the answer follows
                }

                break;
            }

            if (Http1Engine.IsRedirect(_head.StatusCode))
            {
                string? refusal = Http1Engine.RedirectRefusal(_head, _request, loop._run.Spec, _followed, out Uri? next);
                if (refusal is null)
                {
                    bool toGet = Http1Engine.TurnsIntoGet(_head.StatusCode, _request.Method);
                    bool reusable = SkipBodyIfBuffered();
                    _request = _request.RedirectedTo(next!, toGet);
                    _followed++;
                    if (!reusable)
                    {
                        Close();
                    }

                    SendOrConnect();
                    return false;
                }

                _error = ErrorKind.Redirect;
                _message = refusal;
            }

            _ttfbMicros = Http1Engine.MicrosSince(_start);
            _status = _head.StatusCode;
            if (_head.TraceId is { } serverTrace && TraceParent.IsValidTraceId(serverTrace))
            {
                _traceId = serverTrace.ToLowerInvariant();
            }

            _serverTimeMs = ServerTiming.FromValues(_head.ResponseTimeValues, _head.ServerTimingValues);
            _reason = _head.ReasonPhrase;
            _remaining = _head.ContentLength;
            _chunked = default;
            _phase = Phase.ReadingBody;
            return true;
        }

        /// <summary>As <see cref="Http1Connection.SkipBodyIfBuffered"/>: whether the connection may carry the next hop.</summary>
        private bool SkipBodyIfBuffered()
        {
            if (_head.BufferedBodyLength(_readEnd - _readStart) is not { } body)
            {
                return false;
            }

            _readStart += body;
            _exchanges++;
            return _head.KeepAlive && _readStart == _readEnd;
        }

        private void ParseBody()
        {
            switch (_head.Framing)
            {
                case BodyFraming.ContentLength:
                    int run = (int)Math.Min(_remaining, _readEnd - _readStart);
                    _readStart += run;
                    _remaining -= run;
                    _bodyBytes += run;
                    if (_remaining > 0)
                    {
                        return;
                    }

                    break;
                case BodyFraming.Chunked:
                    while (!_chunked.IsDone && _readEnd > _readStart)
                    {
                        int used = _chunked.Decode(_read.AsSpan(_readStart, _readEnd - _readStart), out _, out int length);
                        _readStart += used;
                        _bodyBytes += length;
                    }

                    if (!_chunked.IsDone)
                    {
                        return;
                    }

                    break;
                case BodyFraming.UntilClose:
                    _bodyBytes += _readEnd - _readStart;
                    _readStart = _readEnd;
                    return; // to the close
            }

            _exchanges++;
            // Bytes beyond the response were never asked for: a connection that sends them is not to be trusted again.
            Complete(reusable: _head.KeepAlive && _readStart == _readEnd);
        }

        private void Complete(bool reusable)
        {
            if (_error == ErrorKind.None && _status >= 400)
            {
                _error = _status >= 500 ? ErrorKind.Http5xx : ErrorKind.Http4xx;
                _message = $"HTTP {_status} {_reason ?? Http1Engine.StandardReason(_status)}".TrimEnd();
            }

            Finish((_error, _message), reusable, _bodyBytes);
        }

        /// <summary>A failure: a request that met a keep-alive connection closed while idle, before any byte of its
        /// answer, is sent once more on a new one (as <see cref="Http1Engine"/>); anything else ends it.</summary>
        private void Fail(Exception e)
        {
            bool stale = _exchanges > 0 && !_responseStarted
                && e is IOException or SocketException or HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded };
            Close();
            if (stale)
            {
                Send(); // on a new connection: no second resend
                return;
            }

            Finish(HttpLoadClient.Classify(e, CancellationToken.None, timedOut: false, loop._run.Timeout), reusable: false);
        }

        private void Finish((ErrorKind Kind, string? Message) outcome, bool reusable, long bytes = 0)
        {
            _error = outcome.Kind;
            _message = outcome.Message;
            _bodyBytes = bytes;
            Deliver();
            if (!reusable)
            {
                Close();
            }

            _phase = Phase.Idle;
            StartNext();
        }

        private void Deliver()
        {
            ClosedLoopRunner run = loop._run;
            RequestSpec spec = run.Spec;
            long total = Http1Engine.MicrosSince(_start);
            var result = new RequestResult(
                spec.Label, spec.Method, spec.Url.ToString(), _status, _startedAt, 0, _ttfbMicros, total,
                _bodyBytes, _traceId ?? _trace.TraceId, _serverTimeMs, _error, _message)
            {
                Redirects = _followed,
            };
            run.Deliver(result);
        }
    }
}
