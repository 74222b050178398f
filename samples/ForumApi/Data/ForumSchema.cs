namespace ForumApi.Data;

/// <summary>Creates the tables on start; the comments.post_id index exists only when bottleneck 4 is fixed.</summary>
internal static class ForumSchema
{
    public const string CommentsPostIdIndex = "idx_comments_post_id";

    public static async Task CreateAsync(Db db, bool indexFixed)
    {
        var id = db.Dialect.IdentityColumn;
        await using var c = await db.OpenAsync();
        await db.Dialect.PrepareAsync(db, c);
        // created_at stays TEXT (ISO 8601, UTC) on both databases, so the JSON replies are the same byte for byte.
        await db.ExecuteAsync(c, $"""
            CREATE TABLE IF NOT EXISTS boards (
                id {id},
                name TEXT NOT NULL,
                description TEXT NOT NULL,
                created_at TEXT NOT NULL)
            """);
        await db.ExecuteAsync(c, $"""
            CREATE TABLE IF NOT EXISTS posts (
                id {id},
                board_id BIGINT NOT NULL REFERENCES boards(id),
                title TEXT NOT NULL,
                content TEXT NOT NULL,
                author TEXT NOT NULL,
                created_at TEXT NOT NULL)
            """);
        await db.ExecuteAsync(c, "CREATE INDEX IF NOT EXISTS idx_posts_board_id ON posts(board_id)");
        await db.ExecuteAsync(c, $"""
            CREATE TABLE IF NOT EXISTS comments (
                id {id},
                post_id BIGINT NOT NULL REFERENCES posts(id),
                content TEXT NOT NULL,
                author TEXT NOT NULL,
                created_at TEXT NOT NULL)
            """);
        // Bottleneck 4. Dropping it in normal mode keeps a reused database honest about which mode it is in.
        await db.ExecuteAsync(c, indexFixed
            ? $"CREATE INDEX IF NOT EXISTS {CommentsPostIdIndex} ON comments(post_id)"
            : $"DROP INDEX IF EXISTS {CommentsPostIdIndex}");
    }
}
