using System.Data.Common;
using System.Globalization;
using ForumApi.Data;
using ForumApi.Models;

namespace ForumApi.Endpoints;

/// <summary>Boards: create (bottleneck 3, the body leak), list with pagination, get one, and list its posts (bottleneck 2, N+1).</summary>
internal static class BoardEndpoints
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    private const string BoardColumns = "id, name, description, created_at";

    public static void Map(WebApplication app)
    {
        app.MapPost("/boards", CreateAsync);
        app.MapGet("/boards", ListAsync);
        app.MapGet("/boards/{id}", GetAsync);
        app.MapGet("/boards/{id}/posts", ListPostsAsync);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, Db db, RequestBodyArchive archive, TimeProvider time)
    {
        var (body, raw, error) = await JsonBody.ReadAsync<CreateBoardRequest>(request);
        // Bottleneck 3: the raw body is kept forever, even when it turns out to be invalid.
        if (raw.Length > 0)
            archive.Keep(raw);
        if (error is not null)
            return error;
        if (string.IsNullOrWhiteSpace(body!.Name))
            return ApiResults.BadRequest("name is required and must not be empty");

        var createdAt = ForumClock.Timestamp(time);
        var description = body.Description ?? "";
        await using var c = await db.OpenAsync(request.HttpContext.RequestAborted);
        var id = await db.ScalarAsync(c,
            "INSERT INTO boards (name, description, created_at) VALUES (@name, @description, @created_at) RETURNING id",
            ("@name", body.Name), ("@description", description), ("@created_at", createdAt));
        return Results.Created($"/boards/{id}", new Board(id, body.Name, description, createdAt));
    }

    private static async Task<IResult> ListAsync(HttpContext context, Db db, string? page, string? limit)
    {
        if (!TryParsePositive(page, 1, out var pageNumber))
            return ApiResults.BadRequest("page must be a whole number >= 1");
        if (!TryParsePositive(limit, DefaultLimit, out var pageSize) || pageSize > MaxLimit)
            return ApiResults.BadRequest($"limit must be a whole number from 1 to {MaxLimit}");

        await using var c = await db.OpenAsync(context.RequestAborted);
        var total = await db.ScalarAsync(c, "SELECT COUNT(*) FROM boards");
        var rows = await db.QueryAsync(c,
            $"SELECT {BoardColumns} FROM boards ORDER BY id LIMIT @limit OFFSET @offset",
            ReadBoard, ("@limit", pageSize), ("@offset", (long)(pageNumber - 1) * pageSize));
        var totalPages = (total + pageSize - 1) / pageSize;
        return Results.Ok(new PagedList<Board>(rows, new PageMeta(pageNumber, pageSize, total, totalPages)));
    }

    private static async Task<IResult> GetAsync(HttpContext context, Db db, string id)
    {
        if (!ApiResults.TryParseId(id, out var boardId))
            return ApiResults.NotFound($"board '{id}' not found");

        await using var c = await db.OpenAsync(context.RequestAborted);
        var rows = await db.QueryAsync(c, $"SELECT {BoardColumns} FROM boards WHERE id = @id", ReadBoard, ("@id", boardId));
        return rows.Count == 0 ? ApiResults.NotFound($"board {boardId} not found") : Results.Ok(rows[0]);
    }

    /// <summary>
    /// Bottleneck 2. Normal mode: 1 board check + 1 posts query + 1 COUNT per post = P + 2 queries.
    /// Fixed mode: 1 board check + 1 LEFT JOIN/GROUP BY = 2 queries, whatever P is.
    /// </summary>
    private static async Task<IResult> ListPostsAsync(HttpContext context, Db db, ForumOptions options, string id)
    {
        if (!ApiResults.TryParseId(id, out var boardId))
            return ApiResults.NotFound($"board '{id}' not found");

        await using var c = await db.OpenAsync(context.RequestAborted);
        var exists = await db.ScalarAsync(c, "SELECT COUNT(*) FROM boards WHERE id = @id", ("@id", boardId));
        if (exists == 0)
            return ApiResults.NotFound($"board {boardId} not found");

        List<PostSummary> summaries;
        if (options.IsFixed(Bottlenecks.NPlusOne))
        {
            summaries = await db.QueryAsync(c, """
                SELECT p.id, p.board_id, p.title, p.content, p.author, p.created_at, COUNT(cm.id)
                FROM posts p LEFT JOIN comments cm ON cm.post_id = p.id
                WHERE p.board_id = @board_id
                GROUP BY p.id
                ORDER BY p.id
                """, r => new PostSummary(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetInt64(6)),
                ("@board_id", boardId));
        }
        else
        {
            var posts = await db.QueryAsync(c, $"SELECT {PostEndpoints.PostColumns} FROM posts WHERE board_id = @board_id ORDER BY id",
                PostEndpoints.ReadPost, ("@board_id", boardId));
            summaries = new List<PostSummary>(posts.Count);
            foreach (var post in posts)
            {
                // One round trip per post: the N+1 the toolkit is meant to find.
                var count = await db.ScalarAsync(c, "SELECT COUNT(*) FROM comments WHERE post_id = @post_id", ("@post_id", post.Id));
                summaries.Add(new PostSummary(post.Id, post.BoardId, post.Title, post.Content, post.Author, post.CreatedAt, count));
            }
        }

        return Results.Ok(new DataList<PostSummary>(summaries));
    }

    internal static Board ReadBoard(DbDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3));

    private static bool TryParsePositive(string? raw, int fallback, out int value)
    {
        if (raw is null)
        {
            value = fallback;
            return true;
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1;
    }
}
