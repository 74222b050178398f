namespace ForumApi.Models;

/// <summary>A comment on a post as stored and returned.</summary>
public sealed record Comment(long Id, long PostId, string Content, string Author, string CreatedAt);
