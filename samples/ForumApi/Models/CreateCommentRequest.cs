namespace ForumApi.Models;

/// <summary>Body of POST /comments; every field is required.</summary>
public sealed record CreateCommentRequest(long? PostId, string? Content, string? Author);
