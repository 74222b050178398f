using System.Collections.Concurrent;
using System.Diagnostics;
using ForumApi;
using ForumApi.Data;
using Microsoft.AspNetCore.Builder;
using PerfTools.Tests.Fakes;

namespace PerfTools.Tests.ForumApi;

/// <summary>
/// The SQL spans, checked in-process: an ActivityListener here sees the same ActivitySource the OTLP exporter would,
/// without needing a collector.
/// </summary>
[TestFixture(ForumBackend.Sqlite)]
[TestFixture(ForumBackend.Postgres, Category = "Slow")]
public sealed class ForumAppTracingTests(ForumBackend backend)
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";
    private const string CallerSpanId = "b7ad6b7169203331";

    private readonly ConcurrentBag<Activity> _dbSpans = [];
    private ActivityListener _listener = null!;
    private PostgresServer? _server;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartInProcess()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "ForumApi.Db",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _dbSpans.Add,
        };
        ActivitySource.AddActivityListener(_listener);

        var options = new ForumOptions(Urls: "http://127.0.0.1:0", Seed: 1);
        if (backend == ForumBackend.Postgres)
        {
            _server = await PostgresServer.StartAsync();
            PostgresUrl.TryParse(_server.Url, out var url, out _);
            options = options with { Postgres = url };
        }

        _app = ForumApp.Build(options);
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First() + "/") };
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _listener.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    [Test]
    public void ListeningLine_PortZero_ReportsTheBoundPort()
    {
        var line = ForumApp.ListeningLine(_app);

        if (backend == ForumBackend.Sqlite)
        {
            Assert.That(line, Does.Match(@"^forum_api listening on http://127\.0\.0\.1:[1-9]\d* \(db: .+, fixed: false\)$"));
            return;
        }

        // The URL with its password masked, and the pool's documented defaults.
        Assert.That(line, Does.Match(
            @"^forum_api listening on http://127\.0\.0\.1:[1-9]\d* \(db: postgres://postgres:\*\*\*@127\.0\.0\.1:\d+/forum, fixed: false, pool: 10, pool timeout: 1 s\)$"));
        Assert.That(line, Does.Not.Contain(_server!.Password));
    }

    [Test]
    public async Task GetBoardPosts_WithTraceparent_EachQueryIsAClientSpanInTheCallersTrace()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "boards/1/posts");
        request.Headers.Add("traceparent", $"00-{TraceId}-{CallerSpanId}-01");

        using var response = await _client.SendAsync(request);
        response.EnsureSuccessStatusCode();

        var spans = _dbSpans.Where(s => s.TraceId.ToHexString() == TraceId).ToList();
        Assert.That(spans, Has.Count.GreaterThanOrEqualTo(3), "board check, posts query and at least one COUNT");
        using (Assert.EnterMultipleScope())
        {
            foreach (var span in spans)
            {
                Assert.That(span.DisplayName, Is.EqualTo("SELECT forum"));
                Assert.That(span.Kind, Is.EqualTo(ActivityKind.Client));
                Assert.That(span.GetTagItem("db.system"), Is.EqualTo(backend == ForumBackend.Sqlite ? "sqlite" : "postgresql"));
                Assert.That(span.GetTagItem("db.name"), Is.EqualTo("forum"));
                Assert.That(span.GetTagItem("db.operation"), Is.EqualTo("SELECT"));
                Assert.That(span.GetTagItem("db.statement") as string, Does.StartWith("SELECT"));
                // Child of the server span ASP.NET Core made for this request, not of the caller's span directly.
                Assert.That(span.ParentSpanId.ToHexString(), Is.Not.EqualTo(CallerSpanId).And.Not.EqualTo("0000000000000000"));
            }

            Assert.That(spans.Select(s => s.GetTagItem("db.statement") as string),
                Has.Some.Contains("FROM comments WHERE post_id = @post_id"));
        }
    }
}
