using ForumApi;
using ForumApi.Data;

namespace PerfTools.Tests.ForumApi;

/// <summary>forum_api's own option parsing, plus one real process run to pin the exit code and stderr line.</summary>
[TestFixture]
public sealed class ForumCommandLineTests
{
    [Test]
    public void Parse_NoArgs_Defaults()
    {
        var parsed = ForumCommandLine.Parse([]);

        Assert.That(parsed, Is.EqualTo(new ParsedCommandLine(new ForumOptions("http://127.0.0.1:8080", null, 0, Bottlenecks.None))));
    }

    [Test]
    public void Parse_AllOptions_AllSet()
    {
        var parsed = ForumCommandLine.Parse(["--urls", "http://127.0.0.1:0", "--db", "/tmp/x.db", "--seed=7", "--fixed"]);

        Assert.That(parsed.Error, Is.Null);
        Assert.That(parsed.Options, Is.EqualTo(new ForumOptions("http://127.0.0.1:0", "/tmp/x.db", 7, Bottlenecks.All)));
    }

    [Test]
    public void Parse_PostgresUrlAndPoolOptions_AllSet()
    {
        var parsed = ForumCommandLine.Parse(["--db", "postgresql://forum:s3cret@db.example:6543/forum", "--pool-size=4", "--pool-timeout", "3"]);

        Assert.That(parsed.Error, Is.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(parsed.Options.Postgres, Is.EqualTo(new PostgresUrl("forum", "s3cret", "db.example", 6543, "forum")));
            Assert.That(parsed.Options.DbPath, Is.Null);
            Assert.That(parsed.Options.PoolSize, Is.EqualTo(4));
            Assert.That(parsed.Options.PoolTimeoutSeconds, Is.EqualTo(3));
            // The record's printed form goes through PostgresUrl.ToString, which masks the password.
            Assert.That(parsed.ToString(), Does.Not.Contain("s3cret"));
        }
    }

    [Test]
    public void Parse_PostgresWithoutPoolOptions_DocumentedPoolDefaults()
    {
        var options = ForumCommandLine.Parse(["--db", "postgres://u@h/d"]).Options;

        Assert.That((options.PoolSize, options.PoolTimeoutSeconds), Is.EqualTo((10, 1)));
    }

    [TestCase("pool", Bottlenecks.ConnectionPool)]
    [TestCase("pool,index", Bottlenecks.ConnectionPool | Bottlenecks.MissingIndex)]
    [TestCase(" slow , NPLUS1,leak", Bottlenecks.SlowEndpoint | Bottlenecks.NPlusOne | Bottlenecks.MemoryLeak)]
    [TestCase("slow,nplus1,leak,index,pool", Bottlenecks.All)]
    public void Parse_Fix_FixesOnlyTheNamedBottlenecks(string names, Bottlenecks expected)
    {
        var parsed = ForumCommandLine.Parse(["--fix", names]);

        Assert.That(parsed.Error, Is.Null);
        Assert.That(parsed.Options.Fixes, Is.EqualTo(expected));
    }

    [TestCase(Bottlenecks.None, "false")]
    [TestCase(Bottlenecks.All, "true")]
    [TestCase(Bottlenecks.ConnectionPool | Bottlenecks.MissingIndex, "index,pool")]
    public void Describe_Fixes_StartupLineWord(Bottlenecks fixes, string expected)
    {
        Assert.That(BottleneckNames.Describe(fixes), Is.EqualTo(expected));
    }

    [Test]
    public void Parse_Help_ShowHelp()
    {
        Assert.That(ForumCommandLine.Parse(["--help"]).ShowHelp, Is.True);
    }

    [TestCase(new[] { "--bogus" }, "unknown option '--bogus'")]
    [TestCase(new[] { "--seed" }, "--seed needs a value")]
    [TestCase(new[] { "--seed", "-1" }, "--seed '-1' is not a whole number")]
    [TestCase(new[] { "--seed", "many" }, "--seed 'many' is not a whole number")]
    [TestCase(new[] { "--urls", "127.0.0.1:80" }, "is not an http(s) URL")]
    [TestCase(new[] { "--db", "--fixed" }, "--db needs a value")]
    [TestCase(new[] { "--fixed=yes" }, "--fixed takes no value")]
    [TestCase(new[] { "--fix", "cache" }, "--fix 'cache' is not a bottleneck name")]
    [TestCase(new[] { "--pool-size", "0" }, "--pool-size '0' is not a whole number from 1 to 1000")]
    [TestCase(new[] { "--db", "postgres://u@h/d", "--pool-timeout", "0.5" }, "--pool-timeout '0.5' is not a whole number of seconds")]
    [TestCase(new[] { "--pool-size", "5" }, "--pool-size applies only to PostgreSQL")]
    [TestCase(new[] { "--db", "mysql://u:pw@h/d" }, "is neither a postgres:// URL nor a file path")]
    [TestCase(new[] { "--db", "postgres://u:pw@h:5432" }, "names no database")]
    [TestCase(new[] { "--db", "postgres://u:pw@h:99999/d" }, "has port '99999', not a number from 1 to 65535")]
    public void Parse_BadArgs_OneLineProblemAndFix(string[] args, string problem)
    {
        var error = ForumCommandLine.Parse(args).Error;

        Assert.That(error, Does.StartWith("forum_api: ").And.Contain(problem).And.Contain("; "));
        Assert.That(error, Does.Not.Contain('\n'));
        Assert.That(error, Does.Not.Contain(":pw@"), "a password in --db is masked in error lines");
    }

    [Test]
    public async Task Main_UnknownOption_Exits2WithOneStderrLine()
    {
        var run = await ForumApiRun.RunAsync(["--frobnicate"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.StderrLines, Has.Length.EqualTo(1));
            Assert.That(run.StderrLines[0], Does.StartWith("forum_api: unknown option '--frobnicate'; "));
            Assert.That(run.Stdout, Is.Empty);
        }
    }
}
