using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PerfTools.Tests.ForumApi;

/// <summary>
/// A --db forum_api cannot use: each ends the process with one stderr line naming the problem and the fix, no stack
/// trace, no password, and the documented exit code (1 could not start, 2 bad command line). The wrong-password and
/// missing-database cases need a real server and live in <see cref="ForumApiPostgresTests"/>.
/// </summary>
[TestFixture]
public sealed class ForumApiStartFailureTests
{
    private const string Password = "pw-s3cret";

    [Test]
    public async Task Start_NothingListensOnThePort_Exits1ConnectionRefused()
    {
        var port = FreePort();

        var run = await ForumApiRun.RunAsync(["--db", $"postgres://forum:{Password}@127.0.0.1:{port}/forum"]);

        AssertOneLineFailure(run, 1, $"cannot connect to PostgreSQL at 127.0.0.1:{port} (connection refused", "start the server or fix HOST:PORT");
    }

    [Test]
    public async Task Start_HttpServerOnThePort_Exits1NotPostgres()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var cts = new CancellationTokenSource();
        var server = AnswerLikeHttpAsync(listener, cts.Token);

        var run = await ForumApiRun.RunAsync(["--db", $"postgres://forum:{Password}@127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/forum"]);
        await cts.CancelAsync();
        await server;

        AssertOneLineFailure(run, 1, "does not speak the PostgreSQL protocol", "point --db at a PostgreSQL server");
    }

    [Test]
    public async Task Start_ServerThatNeverAnswers_Exits1WithinThePoolTimeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(); // accepts connections (the kernel does) and never says a word

        var run = await ForumApiRun.RunAsync(["--db", $"postgres://forum:{Password}@127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/forum"]);

        AssertOneLineFailure(run, 1, "did not answer within 1 s", "check that a PostgreSQL server listens there");
    }

    [TestCase("postgres://forum:" + Password + "@127.0.0.1:port/forum", "has port 'port'")]
    [TestCase("postgres://forum:" + Password + "@127.0.0.1:5432", "names no database")]
    [TestCase("postgresql://:" + Password + "@127.0.0.1:5432/forum", "names no user")]
    [TestCase("mysql://forum:" + Password + "@127.0.0.1/forum", "neither a postgres:// URL nor a file path")]
    public async Task Start_MalformedUrl_Exits2(string url, string problem)
    {
        var run = await ForumApiRun.RunAsync(["--db", url]);

        AssertOneLineFailure(run, 2, problem, "write --db postgres://USER[:PASSWORD]@HOST:PORT/DB");
    }

    [Test]
    public async Task Start_SqliteFolderMissing_Exits1NamingTheFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"forum_api_no_such_folder_{Guid.NewGuid():N}");

        var run = await ForumApiRun.RunAsync(["--db", Path.Combine(folder, "forum.db")]);

        AssertOneLineFailure(run, 1, $"folder '{folder}' does not exist", "create the folder or pass --db with a path in an existing one");
        Assert.That(Directory.Exists(folder), Is.False, "forum_api must not create the folder itself");
    }

    /// <summary>The shape every start failure shares, plus its own problem and fix.</summary>
    internal static void AssertOneLineFailure(ForumApiRun run, int exitCode, string problem, string fix)
    {
        var context = $"exit {run.ExitCode}\nstdout: {run.Stdout}\nstderr: {run.Stderr}";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(exitCode), context);
            Assert.That(run.StderrLines, Has.Length.EqualTo(1), context);
            Assert.That(run.Stderr, Does.StartWith("forum_api: ").And.Contain(problem).And.Contain("; ").And.Contain(fix), context);
            Assert.That(run.Stderr + run.Stdout, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(run.Stderr + run.Stdout, Does.Not.Contain(Password), "the password is never printed");
            Assert.That(run.Stdout, Does.Not.Contain("listening on"), context);
        }
    }

    /// <summary>Replies to anything with an HTTP 400, as a web server would to PostgreSQL's first bytes.</summary>
    private static async Task AnswerLikeHttpAsync(TcpListener listener, CancellationToken ct)
    {
        var reply = Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(ct);
                var stream = client.GetStream();
                var buffer = new byte[1024];
                _ = await stream.ReadAsync(buffer, ct);
                await stream.WriteAsync(reply, ct);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
        {
            // Stopped by the test, or the client hung up first: either way this fake's job is done.
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
