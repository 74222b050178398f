using System.Diagnostics;

namespace ForumApi.Data;

/// <summary>Fills an empty database with N boards of posts and comments, the same every run (fixed seeds).</summary>
/// <remarks>
/// The visible part is the same on both databases: N boards, each with 3–5 posts, each post with 2–4 comments. On
/// PostgreSQL an archive follows (<see cref="SqlDialect.SeedsArchive"/>): per seeded board, 50 more boards of 20 posts
/// with 40 comments each, so <c>--seed 5</c> adds 200,000 comments and a full scan of that table costs milliseconds,
/// as it would in a real forum. A database that already holds boards is left alone, so restarting on a reused
/// database never duplicates the data; everything is written in one transaction, so a failed seed leaves no half.
/// </remarks>
internal static class ForumSeeder
{
    public const int ArchiveBoardsPerSeed = 50;
    public const int ArchivePostsPerBoard = 20;
    public const int ArchiveCommentsPerPost = 40;

    private const int RandomSeed = 12345;
    private const int ArchiveRandomSeed = 67890; // its own generator, so the visible part matches SQLite's exactly

    private static readonly string[] Vocabulary =
        ["latency", "throughput", "query", "index", "cache", "span", "trace", "heap", "thread", "lock", "pool", "disk"];

    /// <returns>What was written, or null when <paramref name="boards"/> is 0.</returns>
    public static async Task<SeedResult?> SeedAsync(Db db, int boards, TimeProvider time)
    {
        if (boards <= 0)
            return null;

        var started = Stopwatch.GetTimestamp();
        var random = new Random(RandomSeed);
        var now = ForumClock.Timestamp(time);
        await using var c = await db.OpenAsync();
        // One transaction: thousands of single-row commits would each wait for an fsync, and a failure leaves nothing.
        await using var tx = await c.BeginTransactionAsync();
        await db.Dialect.LockForSeedAsync(db, c, tx);
        var existing = await db.ScalarAsync(c, tx, "SELECT COUNT(*) FROM boards");
        if (existing > 0)
            return new SeedResult(0, 0, 0, Stopwatch.GetElapsedTime(started), existing);

        long boardCount = 0, postCount = 0, commentCount = 0, lastBoardId = 0;
        for (var b = 1; b <= boards; b++)
        {
            var boardId = await db.ScalarAsync(c, tx,
                "INSERT INTO boards (name, description, created_at) VALUES (@name, @description, @created_at) RETURNING id",
                ("@name", $"Board {b}"), ("@description", $"Seeded board number {b}"), ("@created_at", now));
            boardCount++;
            lastBoardId = boardId;
            var posts = random.Next(3, 6);
            for (var p = 1; p <= posts; p++)
            {
                var postId = await db.ScalarAsync(c, tx,
                    "INSERT INTO posts (board_id, title, content, author, created_at) VALUES (@board_id, @title, @content, @author, @created_at) RETURNING id",
                    ("@board_id", boardId), ("@title", $"Post {p} on board {b}"), ("@content", Text(random, 40)),
                    ("@author", $"user{random.Next(1, 50)}"), ("@created_at", now));
                postCount++;
                var comments = random.Next(2, 5);
                for (var k = 1; k <= comments; k++)
                {
                    await db.ExecuteAsync(c, tx,
                        "INSERT INTO comments (post_id, content, author, created_at) VALUES (@post_id, @content, @author, @created_at)",
                        ("@post_id", postId), ("@content", Text(random, 15)), ("@author", $"user{random.Next(1, 50)}"),
                        ("@created_at", now));
                    commentCount++;
                }
            }
        }

        if (db.Dialect.SeedsArchive)
        {
            var (archiveBoards, archivePosts, archiveComments) = await SeedArchiveAsync(db, c, tx, boards, lastBoardId, now);
            boardCount += archiveBoards;
            postCount += archivePosts;
            commentCount += archiveComments;
        }

        await tx.CommitAsync();
        // Fresh planner statistics: without them PostgreSQL guesses the table sizes until autovacuum gets round to it.
        if (db.Dialect.SeedsArchive)
            await db.ExecuteAsync(c, "ANALYZE");
        return new SeedResult(boardCount, postCount, commentCount, Stopwatch.GetElapsedTime(started), 0);
    }

    /// <summary>The bulk part: boards after <paramref name="lastBoardId"/>, loaded with the dialect's fastest insert and
    /// their new ids read back, so it works whatever the sequences' positions.</summary>
    private static async Task<(long Boards, long Posts, long Comments)> SeedArchiveAsync(
        Db db, System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, int seedBoards, long lastBoardId, string now)
    {
        var random = new Random(ArchiveRandomSeed);
        var boardTotal = seedBoards * ArchiveBoardsPerSeed;
        var boards = await db.BulkInsertAsync(c, tx, "boards", ["name", "description", "created_at"],
            Enumerable.Range(1, boardTotal).Select(k => new object[] { $"Archive {k}", $"Seeded archive board number {k}", now }));

        var boardIds = await db.QueryAsync(c, tx, "SELECT id FROM boards WHERE id > @last ORDER BY id",
            r => r.GetInt64(0), ("@last", lastBoardId));
        var posts = await db.BulkInsertAsync(c, tx, "posts", ["board_id", "title", "content", "author", "created_at"],
            boardIds.SelectMany((boardId, k) => Enumerable.Range(1, ArchivePostsPerBoard).Select(p => new object[]
            {
                boardId, $"Archive post {p} on board {k + 1}", Text(random, 40), $"user{random.Next(1, 50)}", now,
            })));

        var postIds = await db.QueryAsync(c, tx, "SELECT id FROM posts WHERE board_id > @last ORDER BY id",
            r => r.GetInt64(0), ("@last", lastBoardId));
        var comments = await db.BulkInsertAsync(c, tx, "comments", ["post_id", "content", "author", "created_at"],
            postIds.SelectMany(postId => Enumerable.Range(1, ArchiveCommentsPerPost).Select(_ => new object[]
            {
                postId, Text(random, 15), $"user{random.Next(1, 50)}", now,
            })));
        return (boards, posts, comments);
    }

    private static string Text(Random random, int words) =>
        string.Join(' ', Enumerable.Range(0, words).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]));
}

/// <summary>What a seed wrote and how long it took; <see cref="ExistingBoards"/> above 0 means it was skipped.</summary>
internal sealed record SeedResult(long Boards, long Posts, long Comments, TimeSpan Elapsed, long ExistingBoards)
{
    public bool Skipped => ExistingBoards > 0;
}
