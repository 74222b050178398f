using System.Net;
using System.Net.Sockets;
using System.Text;
using PerfTools.Shared.Http;

namespace PerfTools.Tests.Http.Engine;

/// <summary>What only the toolkit's own HTTP/1.1 engine has to get right (HttpClient does it inside), against real
/// sockets: chunked bodies, interim answers, stale pooled connections, closing servers, and what a request costs.
/// The behaviour both engines share is pinned in <see cref="HttpLoadClientTests"/> and LoadClientFaultTests.</summary>
public class Http1EngineTests
{
    private static HttpLoadClient NewClient(int maxConnections = 4) =>
        new(new HttpLoadClientOptions(TimeoutSeconds: 2, maxConnections) { Engine = LoadEngine.Http1 }, TimeProvider.System);

    private static RequestSpec Get(Uri baseUrl, string path = "/x", string method = "GET") => new("GET /x", method, new Uri(baseUrl, path));

    [Test]
    public async Task SendForBodyAsync_ChunkedWithExtensionsAndTrailers_CountsDataOnly()
    {
        await using var server = LoopbackServer.Start(ctx => ctx.WriteAsync(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7;ext=1\r\n{\"id\":7\r\n1\r\n}\r\n0\r\nX-Trailer: t\r\n\r\n"));
        using HttpLoadClient client = NewClient();

        (RequestResult first, string? body) = await client.SendForBodyAsync(Get(server.BaseUrl), CancellationToken.None);
        RequestResult second = await client.SendAsync(Get(server.BaseUrl), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Error, Is.EqualTo(ErrorKind.None), first.ErrorMessage);
            Assert.That(body, Is.EqualTo("{\"id\":7}"));
            Assert.That(first.Bytes, Is.EqualTo(8));
            Assert.That(second.Error, Is.EqualTo(ErrorKind.None), second.ErrorMessage);
            Assert.That(server.AcceptedConnections, Is.EqualTo(1), "the connection was reused after the trailers");
        });
    }

    [Test]
    public async Task SendAsync_MalformedChunk_Protocol()
    {
        await using var server = LoopbackServer.Start(ctx => ctx.WriteAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"));
        using HttpLoadClient client = NewClient();

        RequestResult result = await client.SendAsync(Get(server.BaseUrl), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.Protocol), result.ErrorMessage);
            Assert.That(result.StatusCode, Is.EqualTo(200));
        });
    }

    [Test]
    public async Task SendAsync_InterimAnswersFirst_FinalAnswerMeasured()
    {
        await using var server = LoopbackServer.Start(ctx => ctx.WriteAsync(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}"));
        using HttpLoadClient client = NewClient();

        RequestResult result = await client.SendAsync(Get(server.BaseUrl), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.None), result.ErrorMessage);
            Assert.That(result.StatusCode, Is.EqualTo(201));
            Assert.That(result.Bytes, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task SendAsync_ServerClosesIdleConnection_SentAgainOnANewOne()
    {
        // Answers with keep-alive, then closes: the pooled connection is stale when the next request takes it.
        await using var server = LoopbackServer.Start(async ctx =>
        {
            await ctx.RespondAsync(200, "ok");
            ctx.Close();
        });
        using HttpLoadClient client = NewClient(maxConnections: 1);

        RequestResult first = await client.SendAsync(Get(server.BaseUrl), CancellationToken.None);
        await Task.Delay(50); // the close arrives before the next send
        RequestResult second = await client.SendAsync(Get(server.BaseUrl), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Error, Is.EqualTo(ErrorKind.None), first.ErrorMessage);
            Assert.That(second.Error, Is.EqualTo(ErrorKind.None), second.ErrorMessage);
            Assert.That(server.AcceptedConnections, Is.EqualTo(2));
            Assert.That(server.Requests, Has.Count.EqualTo(2), "the request reached the server once");
        });
    }

    [Test]
    public async Task SendAsync_ConnectionCloseAnswer_NextRequestOnANewConnection()
    {
        await using var server = LoopbackServer.Start(ctx => ctx.RespondAsync(200, "ok", ("Connection", "close")));
        using HttpLoadClient client = NewClient(maxConnections: 1);

        RequestResult first = await client.SendAsync(Get(server.BaseUrl), CancellationToken.None);
        RequestResult second = await client.SendAsync(Get(server.BaseUrl), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(new[] { first.Error, second.Error }, Has.All.EqualTo(ErrorKind.None));
            Assert.That(server.AcceptedConnections, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task SendAsync_BodyUntilClose_CountedToTheEnd()
    {
        await using var server = LoopbackServer.Start(async ctx =>
        {
            await ctx.WriteAsync("HTTP/1.1 200 OK\r\n\r\nno length, read until the close");
            ctx.Close();
        });
        using HttpLoadClient client = NewClient();

        RequestResult result = await client.SendAsync(Get(server.BaseUrl), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.None), result.ErrorMessage);
            Assert.That(result.Bytes, Is.EqualTo(31));
        });
    }

    [Test]
    public async Task SendAsync_Head_NoBodyReadConnectionReused()
    {
        await using var server = LoopbackServer.Start(ctx => ctx.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"));
        using HttpLoadClient client = NewClient();

        RequestResult first = await client.SendAsync(Get(server.BaseUrl, method: "HEAD"), CancellationToken.None);
        RequestResult second = await client.SendAsync(Get(server.BaseUrl, method: "HEAD"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(new[] { first.Error, second.Error }, Has.All.EqualTo(ErrorKind.None));
            Assert.That(first.Bytes, Is.Zero);
            Assert.That(server.AcceptedConnections, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SendAsync_HeaderTheEngineLeavesToHttpClient_StillSent()
    {
        await using var server = LoopbackServer.Start(200, "ok");
        using HttpLoadClient client = NewClient();
        var spec = new RequestSpec("GET /x", "GET", new Uri(server.BaseUrl, "/x"), [new("Connection", "close")]);

        RequestResult result = await client.SendAsync(spec, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(ErrorKind.None), result.ErrorMessage);
            Assert.That(server.Requests.Single().Header("Connection"), Is.EqualTo("close"));
        });
    }

    [Test]
    public async Task SendAsync_SameSpecAgain_EachSendItsOwnTraceparentAndExactBytes()
    {
        await using var server = LoopbackServer.Start(200, "ok");
        using HttpLoadClient client = NewClient();
        var spec = new RequestSpec("POST /b", "POST", new Uri(server.BaseUrl, "/b?q=1"), [new("X-Api-Key", "k")], "{\"a\":1}"u8.ToArray());

        RequestResult[] results = [await client.SendAsync(spec, CancellationToken.None), await client.SendAsync(spec, CancellationToken.None)];

        IReadOnlyList<LoopbackRequest> received = server.Requests;
        Assert.Multiple(() =>
        {
            Assert.That(received.Select(r => r.Header("traceparent")).Distinct().Count(), Is.EqualTo(2));
            Assert.That(results.Select(r => r.TraceId), Is.EqualTo(received.Select(r => r.Header("traceparent")![3..35])));
            Assert.That(received.Select(r => Encoding.UTF8.GetString(r.Body)), Has.All.EqualTo("{\"a\":1}"));
            Assert.That(received.Select(r => r.Header("Host")), Has.All.EqualTo($"127.0.0.1:{server.Port}"));
            Assert.That(received.Select(r => r.Target), Has.All.EqualTo("/b?q=1"));
        });
    }

    [Test]
    public async Task SendAsync_ManyRequests_AllocatesLessThanHalfOfHttpClient()
    {
        await using var server = new FixedAnswerServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray());
        var spec = new RequestSpec("GET /", "GET", new Uri($"http://127.0.0.1:{server.Port}/"));

        long engine = await BytesPerRequestAsync(LoadEngine.Http1, spec);
        long httpClient = await BytesPerRequestAsync(LoadEngine.HttpClient, spec);

        TestContext.Out.WriteLine($"bytes allocated per request: engine {engine}, HttpClient {httpClient}");
        // Release builds: the task, the result and its trace id string (some 500 bytes). This Debug build makes every
        // async state machine a class, so the engine's awaits allocate too; HttpClient allocates 3 to 4 times more.
        Assert.That(engine, Is.LessThan(httpClient / 2));
    }

    private static async Task<long> BytesPerRequestAsync(LoadEngine engine, RequestSpec spec)
    {
        using var client = new HttpLoadClient(new HttpLoadClientOptions(TimeoutSeconds: 2, MaxConnections: 1) { Engine = engine }, TimeProvider.System);
        for (int i = 0; i < 200; i++)
        {
            await client.SendAsync(spec, CancellationToken.None); // connect, JIT, fill the pools
        }

        const int requests = 2000;
        int failed = 0;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < requests; i++)
        {
            failed += (await client.SendAsync(spec, CancellationToken.None)).IsSuccess ? 0 : 1;
        }

        long perRequest = (GC.GetTotalAllocatedBytes(precise: true) - before) / requests;
        Assert.That(failed, Is.Zero, $"{engine}: requests that failed");
        return perRequest;
    }

    /// <summary>Answers every request head with the same bytes, allocating nothing per request, so a test can count
    /// what the client allocates.</summary>
    private sealed class FixedAnswerServer : IAsyncDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public FixedAnswerServer(byte[] answer)
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen();
            Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
            _loop = Task.Run(() => AcceptAsync(answer));
        }

        public int Port { get; }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Dispose();
            await Task.WhenAny(_loop, Task.Delay(2000));
            _stop.Dispose();
        }

        private async Task AcceptAsync(byte[] answer)
        {
            var connections = new List<Task>();
            try
            {
                while (true)
                {
                    Socket socket = await _listener.AcceptAsync(_stop.Token);
                    connections.Add(ServeAsync(socket, answer));
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // stopped
            }

            await Task.WhenAll(connections);
        }

        private async Task ServeAsync(Socket socket, byte[] answer)
        {
            using (socket)
            {
                byte[] buffer = new byte[8192];
                int matched = 0; // bytes of "\r\n\r\n" seen at the end of what was read
                try
                {
                    int read;
                    while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
                    {
                        for (int i = 0; i < read; i++)
                        {
                            matched = buffer[i] == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : buffer[i] == '\r' ? 1 : 0;
                            if (matched == 4)
                            {
                                matched = 0;
                                await socket.SendAsync(answer, SocketFlags.None, _stop.Token);
                            }
                        }
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    // the client or the server went away
                }
            }
        }
    }
}
