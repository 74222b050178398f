namespace ForumApi.Models;

/// <summary>Body of POST /posts; every field is required.</summary>
public sealed record CreatePostRequest(long? BoardId, string? Title, string? Content, string? Author);
