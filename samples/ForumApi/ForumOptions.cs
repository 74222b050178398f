using ForumApi.Data;

namespace ForumApi;

/// <summary>How one Forum API process runs: where it listens, where it stores data, and which bottlenecks are fixed.</summary>
/// <param name="Urls">Passed on to Kestrel; port 0 picks a free port, reported on the startup line.</param>
/// <param name="DbPath">SQLite file; null (and no <paramref name="Postgres"/>) means a fresh temp file that is deleted on exit.</param>
/// <param name="Seed">Boards to pre-create, each with posts and comments, from a fixed-seed generator.</param>
/// <param name="Fixes">The bottlenecks turned off; <see cref="Bottlenecks.All"/> is `--fixed`.</param>
/// <param name="Postgres">When set, the data lives on this PostgreSQL server instead of SQLite.</param>
/// <param name="PoolSize">PostgreSQL only: Npgsql's Maximum Pool Size.</param>
/// <param name="PoolTimeoutSeconds">PostgreSQL only: how long a request waits for a pooled connection (Npgsql's Timeout,
/// which also bounds connecting) before it is answered 503.</param>
public sealed record ForumOptions(
    string Urls = ForumOptions.DefaultUrls,
    string? DbPath = null,
    int Seed = 0,
    Bottlenecks Fixes = Bottlenecks.None,
    PostgresUrl? Postgres = null,
    int PoolSize = ForumOptions.DefaultPoolSize,
    int PoolTimeoutSeconds = ForumOptions.DefaultPoolTimeoutSeconds)
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    // Small on purpose (bottleneck 5): ten connections are plenty for fast queries and too few for a route that
    // holds one through a 0.5 s wait.
    public const int DefaultPoolSize = 10;
    public const int DefaultPoolTimeoutSeconds = 1;

    public bool IsFixed(Bottlenecks bottleneck) => (Fixes & bottleneck) == bottleneck;
}
