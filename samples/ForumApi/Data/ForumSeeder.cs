namespace ForumApi.Data;

/// <summary>Fills the database with N boards of posts and comments, the same every run (fixed seed).</summary>
internal static class ForumSeeder
{
    private const int RandomSeed = 12345;

    public static async Task SeedAsync(Db db, int boards, TimeProvider time)
    {
        if (boards <= 0)
            return;

        var random = new Random(RandomSeed);
        var now = ForumClock.Timestamp(time);
        await using var c = await db.OpenAsync();
        // One transaction: thousands of single-row commits would each wait for an fsync.
        await using var tx = c.BeginTransaction();
        for (var b = 1; b <= boards; b++)
        {
            var boardId = await db.ScalarAsync(c, tx,
                "INSERT INTO boards (name, description, created_at) VALUES ($name, $description, $created_at) RETURNING id",
                ("$name", $"Board {b}"), ("$description", $"Seeded board number {b}"), ("$created_at", now));
            var posts = random.Next(3, 6);
            for (var p = 1; p <= posts; p++)
            {
                var postId = await db.ScalarAsync(c, tx,
                    "INSERT INTO posts (board_id, title, content, author, created_at) VALUES ($board_id, $title, $content, $author, $created_at) RETURNING id",
                    ("$board_id", boardId), ("$title", $"Post {p} on board {b}"), ("$content", Text(random, 40)),
                    ("$author", $"user{random.Next(1, 50)}"), ("$created_at", now));
                var comments = random.Next(2, 5);
                for (var k = 1; k <= comments; k++)
                {
                    await db.ExecuteAsync(c, tx,
                        "INSERT INTO comments (post_id, content, author, created_at) VALUES ($post_id, $content, $author, $created_at)",
                        ("$post_id", postId), ("$content", Text(random, 15)), ("$author", $"user{random.Next(1, 50)}"),
                        ("$created_at", now));
                }
            }
        }

        await tx.CommitAsync();
    }

    private static string Text(Random random, int words)
    {
        string[] vocabulary = ["latency", "throughput", "query", "index", "cache", "span", "trace", "heap", "thread", "lock", "pool", "disk"];
        return string.Join(' ', Enumerable.Range(0, words).Select(_ => vocabulary[random.Next(vocabulary.Length)]));
    }
}
