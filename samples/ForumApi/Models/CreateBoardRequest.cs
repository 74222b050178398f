namespace ForumApi.Models;

/// <summary>Body of POST /boards; name is required, description may be empty.</summary>
public sealed record CreateBoardRequest(string? Name, string? Description);
