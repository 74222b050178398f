using PerfTools.BottleneckDetector.Database;

namespace PerfTools.Tests.BottleneckDetector.Database;

/// <summary>Only one read-only SELECT is ever EXPLAINed, and its parameters are numbered for PREPARE.</summary>
public class SqlStatementTests
{
    [TestCase("SELECT COUNT(*) FROM comments WHERE post_id = $1")]
    [TestCase("  (SELECT 1) UNION (SELECT 2);")]
    [TestCase("WITH recent AS (SELECT * FROM posts) SELECT * FROM recent")]
    [TestCase("SELECT * FROM jobs WHERE id = $1 FOR UPDATE SKIP LOCKED")] // only locks when run; EXPLAIN runs nothing
    [TestCase("SELECT 'DELETE FROM x; DROP TABLE y' AS text, \"insert\" FROM t -- UPDATE t SET x = 1")]
    public void RefuseReason_ReadOnlySelect_None(string sql)
    {
        Assert.That(SqlStatement.RefuseReason(sql), Is.Null);
    }

    [TestCase("DELETE FROM comments WHERE id = $1", "not a SELECT (starts with DELETE)")]
    [TestCase("SELECT 1; DELETE FROM comments", "more than one statement")]
    [TestCase("WITH gone AS (DELETE FROM comments RETURNING id) SELECT count(*) FROM gone", "not read-only (DELETE)")]
    [TestCase("SELECT * INTO copy FROM comments", "not read-only (INTO)")]
    [TestCase("EXPLAIN ANALYZE SELECT 1", "not a SELECT (starts with EXPLAIN)")]
    [TestCase("", "empty")]
    public void RefuseReason_AnythingElse_Refused(string sql, string reason)
    {
        Assert.That(SqlStatement.RefuseReason(sql), Is.EqualTo(reason));
    }

    [TestCase("SELECT * FROM c WHERE post_id = @post_id AND author = @author OR post_id = @post_id", "SELECT * FROM c WHERE post_id = $1 AND author = $2 OR post_id = $1", 2)]
    [TestCase("SELECT * FROM c WHERE a = ? AND b = ?", "SELECT * FROM c WHERE a = $1 AND b = $2", 2)]
    [TestCase("SELECT x::text FROM c WHERE a = :a AND s = '@not_a_param' /* :nor */", "SELECT x::text FROM c WHERE a = $1 AND s = '@not_a_param' /* :nor */", 1)]
    [TestCase("SELECT * FROM c WHERE a = $2 AND b = $1", "SELECT * FROM c WHERE a = $2 AND b = $1", 2)]
    [TestCase("SELECT 1", "SELECT 1", 0)]
    public void ToPositional_Parameters_NumberedForPrepare(string sql, string expected, int count)
    {
        Assert.That(SqlStatement.ToPositional(sql, out int n, out string? reason), Is.EqualTo(expected));
        Assert.That((n, reason), Is.EqualTo((count, (string?)null)));
    }

    [Test]
    public void ToPositional_MixedStyles_SkippedWithAReason()
    {
        Assert.That(SqlStatement.ToPositional("SELECT * FROM c WHERE a = $1 AND b = @b", out _, out string? reason), Is.Null);
        Assert.That(reason, Is.EqualTo("it mixes $n with named or ? parameters"));
    }

    [Test]
    public void NamedParameters_ForSqlite_EachOnce()
    {
        Assert.That(SqlStatement.NamedParameters("SELECT * FROM c WHERE a = @a AND b = :b AND c = $c AND d = @a AND e = ?"),
            Is.EqualTo(new[] { "@a", ":b", "$c" }));
    }
}
