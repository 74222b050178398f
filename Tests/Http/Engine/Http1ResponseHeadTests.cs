using System.Text;
using PerfTools.Shared.Http.Engine;

namespace PerfTools.Tests.Http.Engine;

public class Http1ResponseHeadTests
{
    private static (Http1ResponseHead Head, int Consumed) Parse(string text, bool head = false)
    {
        var parsed = new Http1ResponseHead();
        int consumed = parsed.Parse(Encoding.Latin1.GetBytes(text), head);
        return (parsed, consumed);
    }

    [Test]
    public void Parse_ContentLengthResponse_StatusLengthKeepAlive()
    {
        const string text = "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 2\r\n\r\nok";

        (Http1ResponseHead head, int consumed) = Parse(text);

        Assert.Multiple(() =>
        {
            Assert.That(consumed, Is.EqualTo(text.Length - 2), "the body is not part of the head");
            Assert.That(head.StatusCode, Is.EqualTo(200));
            Assert.That(head.Framing, Is.EqualTo(BodyFraming.ContentLength));
            Assert.That(head.ContentLength, Is.EqualTo(2));
            Assert.That(head.KeepAlive, Is.True);
            Assert.That(head.ReasonPhrase, Is.Null, "kept for errors only");
        });
    }

    [TestCase("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n")]
    [TestCase("HTTP/1.1 200 OK\r\nContent-Len")]
    [TestCase("HTTP/1.1 20")]
    [TestCase("HTT")]
    [TestCase("")]
    public void Parse_IncompleteHead_Zero(string text) => Assert.That(Parse(text).Consumed, Is.Zero);

    [Test]
    public void Parse_BareLineFeeds_AcceptedAsSocketsHttpHandlerDoes()
    {
        (Http1ResponseHead head, int consumed) = Parse("HTTP/1.1 204 No Content\nX-Trace-ID: abc\n\n");

        Assert.Multiple(() =>
        {
            Assert.That(consumed, Is.EqualTo(41));
            Assert.That(head.StatusCode, Is.EqualTo(204));
            Assert.That(head.Framing, Is.EqualTo(BodyFraming.None));
            Assert.That(head.TraceId, Is.EqualTo("abc"));
        });
    }

    [TestCase("Transfer-Encoding: chunked\r\nContent-Length: 10", "Chunked", true)]
    [TestCase("Transfer-Encoding: gzip, Chunked", "Chunked", true)]
    [TestCase("Content-Length: 0", "ContentLength", true)]
    [TestCase("X-Other: 1", "UntilClose", false)]
    [TestCase("Content-Length: 5\r\nConnection: close", "ContentLength", false)]
    [TestCase("Content-Length: 5\r\nConnection: Keep-Alive, Close", "ContentLength", false)]
    public void Parse_Framing_AsRfc9112(string headers, string framing, bool keepAlive)
    {
        Http1ResponseHead head = Parse($"HTTP/1.1 200 OK\r\n{headers}\r\n\r\n").Head;

        Assert.Multiple(() =>
        {
            Assert.That(head.Framing.ToString(), Is.EqualTo(framing));
            Assert.That(head.KeepAlive, Is.EqualTo(keepAlive));
        });
    }

    [TestCase("", false)]
    [TestCase("Connection: keep-alive\r\n", true)]
    public void Parse_Http10_KeepAliveOnlyWhenAsked(string connection, bool keepAlive) =>
        Assert.That(Parse($"HTTP/1.0 200 OK\r\n{connection}Content-Length: 0\r\n\r\n").Head.KeepAlive, Is.EqualTo(keepAlive));

    [TestCase(false, "ContentLength")]
    [TestCase(true, "None")]
    public void Parse_HeadRequest_NoBodyWhateverTheLength(bool requestWasHead, string framing) =>
        Assert.That(Parse("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", requestWasHead).Head.Framing.ToString(), Is.EqualTo(framing));

    [TestCase("HTTP/1.1 404 Not Found", "Not Found")]
    [TestCase("HTTP/1.1 503 ", "")]
    [TestCase("HTTP/1.1 500", null)]
    public void Parse_ErrorStatus_ReasonAsSent(string statusLine, string? reason) =>
        Assert.That(Parse($"{statusLine}\r\nContent-Length: 0\r\n\r\n").Head.ReasonPhrase, Is.EqualTo(reason));

    [Test]
    public void Parse_HeadersTheEngineReads_Kept()
    {
        Http1ResponseHead head = Parse(
            "HTTP/1.1 302 Found\r\nlocation:  /next \r\nX-Response-Time-Ms: 12ms\r\nServer-Timing: db;dur=1\r\nserver-timing: total;dur=3\r\nContent-Length: 0\r\n\r\n").Head;

        Assert.Multiple(() =>
        {
            Assert.That(head.Location, Is.EqualTo("/next"));
            Assert.That(head.ResponseTimeValues, Is.EqualTo(new[] { "12ms" }));
            Assert.That(head.ServerTimingValues, Is.EqualTo(new[] { "db;dur=1", "total;dur=3" }));
        });
    }

    [TestCase("X-Trace-ID")]
    [TestCase("Location")]
    public void Parse_SingleValueHeaderRepeated_Null(string name)
    {
        Http1ResponseHead head = Parse($"HTTP/1.1 200 OK\r\n{name}: a\r\n{name}: b\r\n{name}: c\r\nContent-Length: 0\r\n\r\n").Head;

        Assert.That(name == "Location" ? head.Location : head.TraceId, Is.Null, "several values are no single value");
    }

    [Test]
    public void Parse_ReusedForTheNextResponse_NothingCarriedOver()
    {
        var head = new Http1ResponseHead();
        head.Parse("HTTP/1.1 500 Oops\r\nX-Trace-ID: a\r\nLocation: /x\r\nServer-Timing: total;dur=1\r\nConnection: close\r\n\r\n"u8, false);

        head.Parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n"u8, false);

        Assert.Multiple(() =>
        {
            Assert.That(head.StatusCode, Is.EqualTo(200));
            Assert.That(head.ReasonPhrase, Is.Null);
            Assert.That(head.TraceId, Is.Null);
            Assert.That(head.Location, Is.Null);
            Assert.That(head.ServerTimingValues, Is.Null);
            Assert.That(head.KeepAlive, Is.True);
        });
    }

    [TestCase("SSH-2.0-OpenSSH_9.6\r\n\r\n", "Received an invalid status line: 'SSH-2.0-OpenSSH_9.6'.")]
    [TestCase("SSH-2.0", "Received an invalid status line: 'SSH-2.0'.")]
    [TestCase("HTTP/1.1 2000 OK\r\n\r\n", "Received an invalid status line: 'HTTP/1.1 2000 OK'.")]
    [TestCase("HTTP/1.1 099 Low\r\n\r\n", "Received an invalid status line: 'HTTP/1.1 099 Low'.")]
    [TestCase("HTTP/2.0 200 OK\r\n\r\n", "Received an invalid status line: 'HTTP/2.0 200 OK'.")]
    [TestCase("HTTP/1.1 200 OK\r\nthis line is not a header\r\n\r\n", "Received an invalid header line: 'this line is not a header'.")]
    [TestCase("HTTP/1.1 200 OK\r\n folded: x\r\n\r\n", "Received an invalid header line: ' folded: x'.")]
    [TestCase("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "Received an invalid header name: 'Bad Name'.")]
    [TestCase("HTTP/1.1 200 OK\r\nContent-Length: banana\r\n\r\n", "malformed Content-Length header 'banana'")]
    [TestCase("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "malformed Content-Length header '-1'")]
    [TestCase("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", "malformed Content-Length header '1'")]
    public void Parse_NotHttp_InvalidResponse(string text, string message)
    {
        var e = Assert.Throws<HttpRequestException>(() => Parse(text));

        Assert.Multiple(() =>
        {
            Assert.That(e!.HttpRequestError, Is.EqualTo(HttpRequestError.InvalidResponse));
            Assert.That(e.Message, Is.EqualTo(message));
        });
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Parse_HeadPast64KiB_LimitExceeded(bool complete)
    {
        string text = $"HTTP/1.1 200 OK\r\nX-Padding: {new string('a', 70 * 1024)}" + (complete ? "\r\n\r\n" : "");

        var e = Assert.Throws<HttpRequestException>(() => Parse(text));

        Assert.That(e!.HttpRequestError, Is.EqualTo(HttpRequestError.ConfigurationLimitExceeded));
    }
}
