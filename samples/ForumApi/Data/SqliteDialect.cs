using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace ForumApi.Data;

/// <summary>SQLite, the embedded default: one file, in-process, no server and no pool limit.</summary>
internal sealed class SqliteDialect(string path) : SqlDialect
{
    public string Path { get; } = path;

    public override string DbSystem => "sqlite";

    public override string Location => Path;

    public override bool SerializesWrites => true;

    public override bool HasBoundedPool => false;

    // Exactly "INTEGER PRIMARY KEY": only that spelling makes the column SQLite's rowid (BIGINT would not).
    public override string IdentityColumn => "INTEGER PRIMARY KEY AUTOINCREMENT";

    public override bool SeedsArchive => false;

    public override DbDataSource CreateDataSource() =>
        SqliteFactory.Instance.CreateDataSource(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString());

    // WAL is a property of the file: set once here, every later connection reads it from the file.
    public override Task PrepareAsync(Db db, DbConnection c) => db.ExecuteAsync(c, "PRAGMA journal_mode=WAL");

    // Microsoft.Data.Sqlite begins transactions with BEGIN IMMEDIATE, which takes the file's write lock at once:
    // a second seeder waits there already.
    public override Task LockForSeedAsync(Db db, DbConnection c, DbTransaction tx) => Task.CompletedTask;

    /// <summary>One prepared INSERT per row inside the caller's transaction: SQLite has no COPY, and in-process inserts
    /// in one transaction are fast.</summary>
    public override async Task<long> BulkInsertAsync(Db db, DbConnection c, DbTransaction tx, string table, string[] columns, IEnumerable<object[]> rows)
    {
        var names = columns.Select(column => "@" + column).ToArray();
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", names)})";
        long written = 0;
        foreach (var row in rows)
            written += await db.ExecuteAsync(c, tx, sql, names.Select((name, i) => (name, (object?)row[i])).ToArray());
        return written;
    }

    public override string ExplainSql(string sql) => "EXPLAIN QUERY PLAN " + sql;

    public override string ReadExplainRow(DbDataReader row) => row.GetString(3); // columns: id, parent, notused, detail

    public override string? UnavailableReason(Exception ex) => null;

    public override string? DescribeStartFailure(Exception ex)
    {
        if (ex is not SqliteException sqlite)
            return null;
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
            return $"cannot create SQLite database '{Path}': folder '{folder}' does not exist; create the folder or pass --db with a path in an existing one";
        return $"cannot open SQLite database '{Path}' ({sqlite.Message}); pass a writable --db PATH";
    }
}
