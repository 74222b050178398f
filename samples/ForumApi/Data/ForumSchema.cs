using Microsoft.Data.Sqlite;

namespace ForumApi.Data;

/// <summary>Creates the tables on start; the comments.post_id index exists only in fixed mode (bottleneck 4).</summary>
internal static class ForumSchema
{
    public const string CommentsPostIdIndex = "idx_comments_post_id";

    public static async Task CreateAsync(Db db, bool fixedMode)
    {
        await using var c = await db.OpenAsync();
        // WAL is a property of the file: set once here, every later connection reads it from the file.
        await db.ExecuteAsync(c, "PRAGMA journal_mode=WAL");
        await db.ExecuteAsync(c, """
            CREATE TABLE IF NOT EXISTS boards (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL,
                description TEXT NOT NULL,
                created_at TEXT NOT NULL)
            """);
        await db.ExecuteAsync(c, """
            CREATE TABLE IF NOT EXISTS posts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                board_id INTEGER NOT NULL REFERENCES boards(id),
                title TEXT NOT NULL,
                content TEXT NOT NULL,
                author TEXT NOT NULL,
                created_at TEXT NOT NULL)
            """);
        await db.ExecuteAsync(c, "CREATE INDEX IF NOT EXISTS idx_posts_board_id ON posts(board_id)");
        await db.ExecuteAsync(c, """
            CREATE TABLE IF NOT EXISTS comments (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                post_id INTEGER NOT NULL REFERENCES posts(id),
                content TEXT NOT NULL,
                author TEXT NOT NULL,
                created_at TEXT NOT NULL)
            """);
        // Bottleneck 4. Dropping it in normal mode keeps a reused --db file honest about which mode it is in.
        await db.ExecuteAsync(c, fixedMode
            ? $"CREATE INDEX IF NOT EXISTS {CommentsPostIdIndex} ON comments(post_id)"
            : $"DROP INDEX IF EXISTS {CommentsPostIdIndex}");
    }
}
