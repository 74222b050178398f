namespace ForumApi.Models;

/// <summary>An unpaged list, wrapped as {"data":[...]} so fields can be added later without breaking clients.</summary>
public sealed record DataList<T>(IReadOnlyList<T> Data);
