using ForumApi.Data;
using ForumApi.Models;

namespace ForumApi.Endpoints;

/// <summary>Comments: create on an existing post, list a post's comments (bottleneck 4, a full scan without the index).</summary>
internal static class CommentEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/comments", CreateAsync);
        app.MapGet("/posts/{id}/comments", ListAsync);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, Db db, TimeProvider time)
    {
        var (body, _, error) = await JsonBody.ReadAsync<CreateCommentRequest>(request);
        if (error is not null)
            return error;
        if (body!.PostId is null)
            return ApiResults.BadRequest("post_id is required");
        if (string.IsNullOrWhiteSpace(body.Content))
            return ApiResults.BadRequest("content is required and must not be empty");
        if (string.IsNullOrWhiteSpace(body.Author))
            return ApiResults.BadRequest("author is required and must not be empty");

        await using var c = await db.OpenAsync(request.HttpContext.RequestAborted);
        var postId = body.PostId.Value;
        if (await db.ScalarAsync(c, "SELECT COUNT(*) FROM posts WHERE id = @id", ("@id", postId)) == 0)
            return ApiResults.NotFound($"post {postId} not found");

        var createdAt = ForumClock.Timestamp(time);
        var id = await db.ScalarAsync(c,
            "INSERT INTO comments (post_id, content, author, created_at) VALUES (@post_id, @content, @author, @created_at) RETURNING id",
            ("@post_id", postId), ("@content", body.Content), ("@author", body.Author), ("@created_at", createdAt));
        return Results.Created($"/comments/{id}", new Comment(id, postId, body.Content, body.Author, createdAt));
    }

    private static async Task<IResult> ListAsync(HttpContext context, Db db, string id)
    {
        if (!ApiResults.TryParseId(id, out var postId))
            return ApiResults.NotFound($"post '{id}' not found");

        await using var c = await db.OpenAsync(context.RequestAborted);
        if (await db.ScalarAsync(c, "SELECT COUNT(*) FROM posts WHERE id = @id", ("@id", postId)) == 0)
            return ApiResults.NotFound($"post {postId} not found");

        // WHERE post_id = ... is what makes the plan differ: a full scan without the index (SQLite SCAN comments,
        // PostgreSQL Seq Scan on comments), an index lookup with it.
        var rows = await db.QueryAsync(c,
            "SELECT id, post_id, content, author, created_at FROM comments WHERE post_id = @post_id ORDER BY id",
            r => new Comment(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4)),
            ("@post_id", postId));
        return Results.Ok(new DataList<Comment>(rows));
    }
}
