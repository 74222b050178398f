namespace ForumApi.Models;

/// <summary>A page of rows with its pagination facts: {"data":[...],"meta":{...}}.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Data, PageMeta Meta);
