using System.Data.Common;
using ForumApi.Data;
using ForumApi.Models;

namespace ForumApi.Endpoints;

/// <summary>Posts: create on an existing board, get one.</summary>
internal static class PostEndpoints
{
    internal const string PostColumns = "id, board_id, title, content, author, created_at";

    public static void Map(WebApplication app)
    {
        app.MapPost("/posts", CreateAsync);
        app.MapGet("/posts/{id}", GetAsync);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, Db db, TimeProvider time)
    {
        var (body, _, error) = await JsonBody.ReadAsync<CreatePostRequest>(request);
        if (error is not null)
            return error;
        if (body!.BoardId is null)
            return ApiResults.BadRequest("board_id is required");
        if (string.IsNullOrWhiteSpace(body.Title))
            return ApiResults.BadRequest("title is required and must not be empty");
        if (string.IsNullOrWhiteSpace(body.Content))
            return ApiResults.BadRequest("content is required and must not be empty");
        if (string.IsNullOrWhiteSpace(body.Author))
            return ApiResults.BadRequest("author is required and must not be empty");

        await using var c = await db.OpenAsync(request.HttpContext.RequestAborted);
        var boardId = body.BoardId.Value;
        if (await db.ScalarAsync(c, "SELECT COUNT(*) FROM boards WHERE id = @id", ("@id", boardId)) == 0)
            return ApiResults.NotFound($"board {boardId} not found");

        var createdAt = ForumClock.Timestamp(time);
        var id = await db.ScalarAsync(c,
            "INSERT INTO posts (board_id, title, content, author, created_at) VALUES (@board_id, @title, @content, @author, @created_at) RETURNING id",
            ("@board_id", boardId), ("@title", body.Title), ("@content", body.Content), ("@author", body.Author), ("@created_at", createdAt));
        return Results.Created($"/posts/{id}", new Post(id, boardId, body.Title, body.Content, body.Author, createdAt));
    }

    private static async Task<IResult> GetAsync(HttpContext context, Db db, string id)
    {
        if (!ApiResults.TryParseId(id, out var postId))
            return ApiResults.NotFound($"post '{id}' not found");

        await using var c = await db.OpenAsync(context.RequestAborted);
        var rows = await db.QueryAsync(c, $"SELECT {PostColumns} FROM posts WHERE id = @id", ReadPost, ("@id", postId));
        return rows.Count == 0 ? ApiResults.NotFound($"post {postId} not found") : Results.Ok(rows[0]);
    }

    internal static Post ReadPost(DbDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5));
}
