namespace ForumApi.Models;

/// <summary>Reply of GET /slow: how long the server spent, in milliseconds.</summary>
public sealed record SlowResult(string Status, double ElapsedMs);
