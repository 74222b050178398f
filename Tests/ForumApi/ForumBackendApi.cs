using ForumApi.Data;
using Microsoft.Data.Sqlite;
using PerfTools.Tests.Fakes;

namespace PerfTools.Tests.ForumApi;

/// <summary>The two databases forum_api runs on; fixtures take one as a parameter to run the same cases on both.</summary>
public enum ForumBackend
{
    Sqlite,
    Postgres,
}

/// <summary>forum_api as a child process on one backend: a SQLite file in a temp folder, or a throwaway PostgreSQL
/// cluster of its own. Also opens the same database from the test, through the app's own Db, for checks such as
/// query plans.</summary>
internal sealed class ForumBackendApi : IAsyncDisposable
{
    private readonly string? _folder;

    private ForumBackendApi(ForumBackend backend, PostgresServer? server, string? folder, SqlDialect dialect)
    {
        Backend = backend;
        Server = server;
        _folder = folder;
        Dialect = dialect;
    }

    public ForumBackend Backend { get; }

    /// <summary>The cluster on PostgreSQL; null on SQLite.</summary>
    public PostgresServer? Server { get; }

    /// <summary>The value forum_api gets as --db: a file path or a postgres:// URL.</summary>
    public string DbArgument => Server?.Url ?? ((SqliteDialect)Dialect).Path;

    public SqlDialect Dialect { get; }

    public ForumApiProcess Api { get; private set; } = null!;

    /// <summary>Prepares the database (a fresh SQLite file, or a fresh cluster) and starts forum_api on it.</summary>
    public static async Task<ForumBackendApi> StartAsync(ForumBackend backend, bool fixedMode = false, int seed = 0, params string[] extraArgs)
    {
        var backendApi = await CreateAsync(backend);
        try
        {
            await backendApi.RestartAsync(fixedMode, seed, extraArgs);
            return backendApi;
        }
        catch
        {
            await backendApi.DisposeAsync();
            throw;
        }
    }

    /// <summary>The database alone, no API yet: call <see cref="RestartAsync"/> to start one.</summary>
    public static async Task<ForumBackendApi> CreateAsync(ForumBackend backend)
    {
        if (backend == ForumBackend.Sqlite)
        {
            var folder = Directory.CreateTempSubdirectory("forum_api_test_").FullName;
            return new ForumBackendApi(backend, null, folder, new SqliteDialect(Path.Combine(folder, "forum.db")));
        }

        var server = await PostgresServer.StartAsync();
        PostgresUrl.TryParse(server.Url, out var url, out _);
        return new ForumBackendApi(backend, server, null, new PostgresDialect(url!, poolSize: 2, poolTimeoutSeconds: 10));
    }

    /// <summary>Stops the running API (if any) and starts a new one on the same database, as a user reusing it would.</summary>
    public async Task<ForumApiProcess> RestartAsync(bool fixedMode = false, int seed = 0, params string[] extraArgs)
    {
        if (Api is not null)
            await Api.DisposeAsync();
        Api = await ForumApiProcess.StartAsync(fixedMode, seed, ["--db", DbArgument, .. extraArgs]);
        return Api;
    }

    /// <summary>Runs <paramref name="work"/> with the app's Db class on this database, from the test process.</summary>
    public async Task<T> WithDbAsync<T>(Func<Db, System.Data.Common.DbConnection, Task<T>> work)
    {
        await using var db = new Db(Dialect, null);
        await using var connection = await db.OpenAsync();
        return await work(db, connection);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Api is not null)
                await Api.DisposeAsync();
        }
        finally
        {
            if (Server is not null)
                await Server.DisposeAsync();
            if (_folder is not null)
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(_folder, recursive: true);
            }
        }
    }
}
