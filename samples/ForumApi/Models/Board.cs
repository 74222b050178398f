namespace ForumApi.Models;

/// <summary>A forum board as stored and returned.</summary>
public sealed record Board(long Id, string Name, string Description, string CreatedAt);
