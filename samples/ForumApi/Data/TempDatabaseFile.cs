using Microsoft.Data.Sqlite;

namespace ForumApi.Data;

/// <summary>Owns the default temp database: deleted when the app's service container is disposed, whether or not it ever started.</summary>
internal sealed class TempDatabaseFile(string path) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose()
    {
        // Pooled connections keep the file open; release them before deleting.
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A temp file left behind is harmless; failing shutdown over it is not.
            }
        }
    }
}
