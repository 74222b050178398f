namespace ForumApi.Models;

/// <summary>Pagination facts for a list: total_pages is 0 when there are no rows.</summary>
public sealed record PageMeta(int Page, int Limit, long Total, long TotalPages);
