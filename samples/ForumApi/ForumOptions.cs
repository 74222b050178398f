namespace ForumApi;

/// <summary>How one Forum API process runs: where it listens, where it stores data, and whether its bottlenecks are on.</summary>
/// <param name="Urls">Passed on to Kestrel; port 0 picks a free port, reported on the startup line.</param>
/// <param name="DbPath">SQLite file; null means a fresh temp file that is deleted on exit.</param>
/// <param name="Seed">Boards to pre-create, each with posts and comments, from a fixed-seed generator.</param>
/// <param name="Fixed">True turns all four deliberate bottlenecks off.</param>
public sealed record ForumOptions(
    string Urls = ForumOptions.DefaultUrls,
    string? DbPath = null,
    int Seed = 0,
    bool Fixed = false)
{
    public const string DefaultUrls = "http://127.0.0.1:8080";
}
