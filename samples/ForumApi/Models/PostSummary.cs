namespace ForumApi.Models;

/// <summary>A post in a board listing, with the comment count that the N+1 bottleneck fetches one query at a time.</summary>
public sealed record PostSummary(long Id, long BoardId, string Title, string Content, string Author, string CreatedAt, long CommentCount);
