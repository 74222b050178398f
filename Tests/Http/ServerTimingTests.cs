using System.Net.Http.Headers;
using PerfTools.Shared.Http;

namespace PerfTools.Tests.Http;

public class ServerTimingTests
{
    [TestCase("12.5", 12.5)]
    [TestCase(" 12.5 ", 12.5)]
    [TestCase("12.5ms", 12.5)]
    [TestCase("12.5 ms", 12.5)]
    [TestCase("7", 7.0)]
    [TestCase("0", 0.0)]
    [TestCase("1e2", 100.0)]
    public void ParseResponseTimeMs_Number_Parsed(string value, double expected)
    {
        Assert.That(ServerTiming.ParseResponseTimeMs(value), Is.EqualTo(expected));
    }

    [TestCase("12,5")] // decimal comma is not the invariant culture
    [TestCase("abc")]
    [TestCase("")]
    [TestCase("ms")]
    [TestCase("-1")]
    [TestCase("NaN")]
    [TestCase("Infinity")]
    [TestCase(null)]
    public void ParseResponseTimeMs_NotANonNegativeNumber_Null(string? value)
    {
        Assert.That(ServerTiming.ParseResponseTimeMs(value), Is.Null);
    }

    [TestCase("total;dur=12.3", 12.3)]
    [TestCase("db;dur=2.1, total;dur=12.3;desc=\"all\"", 12.3)]
    [TestCase("TOTAL;DUR=4", 4.0)]
    [TestCase("app;dur=8.5, db;dur=2", 8.5)]
    [TestCase("cache;desc=hit, app;dur=3", 3.0)]
    [TestCase("app ; dur = 5", 5.0)]
    [TestCase("app;dur=\"6.5\"", 6.5)]
    [TestCase("app;desc=\"x, total;dur=9\";dur=1", 1.0)] // separators inside a quoted desc are text
    public void ParseServerTiming_Metrics_TotalElseFirstDuration(string value, double expected)
    {
        Assert.That(ServerTiming.ParseServerTiming(value), Is.EqualTo(expected));
    }

    [TestCase("cache;desc=hit")]
    [TestCase("miss")]
    [TestCase("total;dur=abc")]
    [TestCase("")]
    [TestCase(null)]
    public void ParseServerTiming_NoDuration_Null(string? value)
    {
        Assert.That(ServerTiming.ParseServerTiming(value), Is.Null);
    }

    [Test]
    public void FromHeaders_BothHeaders_ResponseTimeWins()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("X-Response-Time-Ms", "3.5");
        response.Headers.TryAddWithoutValidation("Server-Timing", "total;dur=9");

        Assert.That(ServerTiming.FromHeaders(response.Headers), Is.EqualTo(3.5));
    }

    [Test]
    public void FromHeaders_ServerTimingOnSeveralLines_TotalFoundOnLaterLine()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Server-Timing", "db;dur=1");
        response.Headers.TryAddWithoutValidation("Server-Timing", "total;dur=9");

        Assert.That(ServerTiming.FromHeaders(response.Headers), Is.EqualTo(9.0));
    }

    [Test]
    public void FromHeaders_InvalidResponseTime_FallsBackToServerTiming()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("X-Response-Time-Ms", "soon");
        response.Headers.TryAddWithoutValidation("Server-Timing", "app;dur=2");

        Assert.That(ServerTiming.FromHeaders(response.Headers), Is.EqualTo(2.0));
    }

    [Test]
    public void FromHeaders_NoTimingHeaders_Null()
    {
        using var response = new HttpResponseMessage();

        Assert.That(ServerTiming.FromHeaders(response.Headers), Is.Null);
    }
}
