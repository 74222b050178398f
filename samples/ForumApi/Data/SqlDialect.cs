using System.Data.Common;

namespace ForumApi.Data;

/// <summary>Everything that differs between the two databases the forum runs on, kept in one place so the rest of the
/// code (endpoints, schema, seeder) is written once.</summary>
/// <remarks>What the two share needs no entry here: <c>@name</c> parameters, <c>RETURNING id</c>, <c>CREATE … IF NOT
/// EXISTS</c>, <c>DROP INDEX IF EXISTS</c>, <c>LIMIT … OFFSET</c>. The forum has no upserts.</remarks>
internal abstract class SqlDialect
{
    /// <summary>The OpenTelemetry <c>db.system</c> value: <c>sqlite</c>, <c>postgresql</c>.</summary>
    public abstract string DbSystem { get; }

    /// <summary>Where the data lives, for the startup line; never shows a password.</summary>
    public abstract string Location { get; }

    /// <summary>True when writers must take turns in-process (SQLite: one writer at a time, 150 ms busy retries).</summary>
    public abstract bool SerializesWrites { get; }

    /// <summary>True when connections come from a small, bounded pool that a slow request can drain (bottleneck 5).</summary>
    public abstract bool HasBoundedPool { get; }

    /// <summary>Column definition of an auto-numbered 64-bit primary key.</summary>
    public abstract string IdentityColumn { get; }

    /// <summary>True when <c>--seed</c> also loads the bulk archive (<see cref="ForumSeeder"/>): PostgreSQL gets one so
    /// that a full scan of comments costs milliseconds; SQLite stays small, the embedded quick start.</summary>
    public abstract bool SeedsArchive { get; }

    /// <summary>Connections to open at start, so the first burst of requests measures the pool limit rather than
    /// connection set-up (a PostgreSQL connection costs a process fork and a SCRAM handshake).</summary>
    public virtual int WarmConnections => 0;

    public abstract DbDataSource CreateDataSource();

    /// <summary>Database-wide settings made once before the tables (SQLite: WAL journal).</summary>
    public virtual Task PrepareAsync(Db db, DbConnection c) => Task.CompletedTask;

    /// <summary>Inside the seeding transaction: keeps two processes from seeding the same database at once.</summary>
    public abstract Task LockForSeedAsync(Db db, DbConnection c, DbTransaction tx);

    /// <summary>Inserts <paramref name="rows"/> (values in <paramref name="columns"/> order) into <paramref name="table"/>.</summary>
    /// <returns>Rows written.</returns>
    public abstract Task<long> BulkInsertAsync(Db db, DbConnection c, DbTransaction tx, string table, string[] columns, IEnumerable<object[]> rows);

    /// <summary>The statement that asks for <paramref name="sql"/>'s query plan.</summary>
    public abstract string ExplainSql(string sql);

    /// <summary>One row of the plan as text.</summary>
    public abstract string ReadExplainRow(DbDataReader row);

    /// <summary>Why a connection could not be had, for a 503 body; null when the failure is not about availability.</summary>
    public abstract string? UnavailableReason(Exception ex);

    /// <summary>A failure at start-up (schema, seed) as one "problem; fix" sentence; null when it is not a database failure.</summary>
    public abstract string? DescribeStartFailure(Exception ex);
}
