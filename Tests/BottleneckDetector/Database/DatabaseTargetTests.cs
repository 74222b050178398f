using PerfTools.BottleneckDetector.Database;

namespace PerfTools.Tests.BottleneckDetector.Database;

/// <summary><c>--database-url</c> parsed before anything is asked: the URL's parts, its password kept out of every text.</summary>
public class DatabaseTargetTests
{
    [Test]
    public void Parse_FullUrl_PartsAndAMaskedDisplay()
    {
        var target = DatabaseTarget.Parse("postgresql://forum:s%40cret@db.example:6432/forum?sslmode=verify-full", out string? problem)!;

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Null);
            Assert.That(target.Kind, Is.EqualTo(DatabaseKind.Postgres));
            Assert.That((target.Host, target.Port, target.Database, target.User), Is.EqualTo(("db.example", 6432, "forum", "forum")));
            Assert.That(target.Display, Is.EqualTo("postgres://forum:***@db.example:6432/forum?sslmode=verify-full"));
            Assert.That(target.ToString(), Does.Not.Contain("s@cret").And.Not.Contain("s%40cret"));
            var settings = target.ConnectionSettings(10);
            Assert.That(settings.Password, Is.EqualTo("s@cret"));
            Assert.That(settings.Pooling, Is.False);
            Assert.That(settings.Options, Does.Contain("default_transaction_read_only=on").And.Contain("statement_timeout=10000"));
        });
    }

    [Test]
    public void Parse_NoPasswordNoPort_DefaultsAndPgpassLeftToNpgsql()
    {
        var target = DatabaseTarget.Parse("postgres://app@127.0.0.1/shop", out _)!;

        Assert.That(target.Port, Is.EqualTo(5432));
        Assert.That(target.Display, Is.EqualTo("postgres://app@127.0.0.1:5432/shop"));
        Assert.That(target.ConnectionSettings(1).Password, Is.Null);
    }

    [TestCase("postgres://u:p@h:abc/db", "its port 'abc' is not a number from 1 to 65535")]
    [TestCase("postgres://u@h:70000/db", "its port '70000' is not a number from 1 to 65535")]
    [TestCase("postgres://u@/db", "it names no host")]
    [TestCase("postgres://u@h:5432", "it names no database (the /DB at the end)")]
    [TestCase("postgres://u@h/db?application_name=x", "its parameter 'application_name' is not supported; only sslmode is")]
    [TestCase("mysql://u@h/db", "only PostgreSQL is reached by URL; another database's scheme is not supported")]
    [TestCase("postgres://u@h/db%zz", "a %-escape in it is malformed")]
    public void Parse_MalformedUrl_OneLineProblem(string url, string why)
    {
        Assert.That(DatabaseTarget.Parse(url, out string? problem), Is.Null);
        Assert.That(problem, Does.StartWith($"--database-url '{url}': must be a PostgreSQL URL").And.EndWith($"({why})"));
    }

    [Test]
    public void Parse_SqliteFile_MustExistAndBeSqlite()
    {
        string folder = Directory.CreateTempSubdirectory("bd-dburl-").FullName;
        try
        {
            string missing = Path.Combine(folder, "forum.db");
            string text = Path.Combine(folder, "notes.txt");
            string empty = Path.Combine(folder, "empty.db");
            string real = Path.Combine(folder, "real.db");
            File.WriteAllText(text, "hello, not a database");
            File.WriteAllBytes(empty, []);
            File.WriteAllBytes(real, [.. "SQLite format 3\0"u8, .. new byte[84]]);

            Assert.Multiple(() =>
            {
                Assert.That(DatabaseTarget.Parse(missing, out string? p1), Is.Null);
                Assert.That(p1, Does.EndWith("(no such file (a SQLite database must exist: the detector only reads it))"));
                Assert.That(DatabaseTarget.Parse(text, out string? p2), Is.Null);
                Assert.That(p2, Does.EndWith("(it is not a SQLite database (no 'SQLite format 3' header))"));
                Assert.That(DatabaseTarget.Parse(folder, out string? p3), Is.Null);
                Assert.That(p3, Does.EndWith("(it is a folder; name the database file in it)"));
                Assert.That(DatabaseTarget.Parse(empty, out _)?.Kind, Is.EqualTo(DatabaseKind.Sqlite), "an empty file is an empty database to SQLite");
                Assert.That(DatabaseTarget.Parse(real, out _)?.Display, Is.EqualTo(real));
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
