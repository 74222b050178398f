using ForumApi.Data;
using Npgsql;

namespace PerfTools.Tests.ForumApi;

/// <summary>--db postgres://… parsing, and that the password never leaves it in printed form.</summary>
[TestFixture]
public sealed class PostgresUrlTests
{
    [TestCase("postgres://forum:pw@127.0.0.1:5433/forum", "forum", "pw", "127.0.0.1", 5433, "forum")]
    [TestCase("postgresql://forum@db.example/shop", "forum", null, "db.example", 5432, "shop")]
    [TestCase("POSTGRES://forum:p%40ss%3Aw%2Frd@h:1/d", "forum", "p@ss:w/rd", "h", 1, "d")]
    [TestCase("postgres://forum:p@ss@h:2/d", "forum", "p@ss", "h", 2, "d")]
    [TestCase("postgres://u:pw@[::1]:5432/d", "u", "pw", "::1", 5432, "d")]
    public void TryParse_ValidUrl_Parts(string text, string user, string? password, string host, int port, string database)
    {
        Assert.That(PostgresUrl.TryParse(text, out var url, out var problem), Is.True, problem);
        Assert.That(url, Is.EqualTo(new PostgresUrl(user, password, host, port, database)));
    }

    [TestCase("postgres://u:pw@h/d?sslmode=verify-full", SslMode.VerifyFull)]
    [TestCase("postgres://u:pw@h/d?sslmode=disable", SslMode.Disable)]
    public void TryParse_SslMode_Kept(string text, SslMode expected)
    {
        Assert.That(PostgresUrl.TryParse(text, out var url, out _), Is.True);
        Assert.That(url!.SslMode, Is.EqualTo(expected));
        Assert.That(url.ConnectionSettings(10, 1).SslMode, Is.EqualTo(expected));
    }

    [TestCase("postgres://h:5432/d", "names no user")]
    [TestCase("postgres://u:pw@:5432/d", "names no host")]
    [TestCase("postgres://u:pw@h:x/d", "port 'x'")]
    [TestCase("postgres://u:pw@h:0/d", "port '0'")]
    [TestCase("postgres://u:pw@h:5432/", "names no database")]
    [TestCase("postgres://u:pw@h:5432/a/b", "database name with '/'")]
    [TestCase("postgres://u:pw@h/d?connect_timeout=3", "only sslmode is supported")]
    [TestCase("postgres://u:pw@h/d?sslmode=always", "sslmode 'always'")]
    public void TryParse_Malformed_ProblemWithPasswordMasked(string text, string problem)
    {
        Assert.That(PostgresUrl.TryParse(text, out var url, out var message), Is.False);
        Assert.That(url, Is.Null);
        Assert.That(message, Does.Contain(problem).And.Not.Contain(":pw@"));
    }

    [Test]
    public void ToString_WithPassword_MasksIt()
    {
        var url = new PostgresUrl("forum", "s3cret", "127.0.0.1", 5433, "forum", SslMode.VerifyCA);

        Assert.That(url.ToString(), Is.EqualTo("postgres://forum:***@127.0.0.1:5433/forum?sslmode=verify-ca"));
        Assert.That($"{new { url }}", Does.Not.Contain("s3cret"), "records that hold one print it masked too");
    }

    [TestCase("postgres://u:s3cret@h:x/d", "postgres://u:***@h:x/d")]
    [TestCase("postgres://u@h/d", "postgres://u@h/d")]
    public void MaskPassword_AnyText_HidesTheUserinfoPassword(string text, string expected)
    {
        Assert.That(PostgresUrl.MaskPassword(text), Is.EqualTo(expected));
    }

    [Test]
    public void ConnectionSettings_Pool_SizeAndTimeoutReachNpgsql()
    {
        var settings = new PostgresUrl("u", "pw", "h", 5432, "d").ConnectionSettings(poolSize: 10, poolTimeoutSeconds: 1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.MaxPoolSize, Is.EqualTo(10));
            Assert.That(settings.Timeout, Is.EqualTo(1));
            Assert.That(settings.Password, Is.EqualTo("pw"));
            Assert.That(settings.PersistSecurityInfo, Is.False, "Npgsql drops the password from the connection string it shows");
        }
    }
}
