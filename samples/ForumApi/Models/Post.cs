namespace ForumApi.Models;

/// <summary>A post on a board as stored and returned.</summary>
public sealed record Post(long Id, long BoardId, string Title, string Content, string Author, string CreatedAt);
