namespace ForumApi;

/// <summary>The five deliberate bottlenecks, as flags: which ones a run has fixed (`--fixed` is all, `--fix` picks).</summary>
[Flags]
public enum Bottlenecks
{
    None = 0,

    /// <summary>1: GET /slow waits ~400 ms and burns ~100 ms of CPU.</summary>
    SlowEndpoint = 1,

    /// <summary>2: GET /boards/{id}/posts counts comments with one query per post.</summary>
    NPlusOne = 2,

    /// <summary>3: every raw POST /boards body is kept for the life of the process.</summary>
    MemoryLeak = 4,

    /// <summary>4: comments.post_id has no index.</summary>
    MissingIndex = 8,

    /// <summary>5: on PostgreSQL, GET /slow holds a pooled connection through its wait.</summary>
    ConnectionPool = 16,

    All = SlowEndpoint | NPlusOne | MemoryLeak | MissingIndex | ConnectionPool,
}

/// <summary>The short names `--fix` takes and the startup line prints, one per bottleneck.</summary>
internal static class BottleneckNames
{
    public static readonly IReadOnlyList<(string Name, Bottlenecks Value)> All =
    [
        ("slow", Bottlenecks.SlowEndpoint),
        ("nplus1", Bottlenecks.NPlusOne),
        ("leak", Bottlenecks.MemoryLeak),
        ("index", Bottlenecks.MissingIndex),
        ("pool", Bottlenecks.ConnectionPool),
    ];

    /// <summary>"true" (all fixed), "false" (none), or the fixed ones by name: "pool,index".</summary>
    public static string Describe(Bottlenecks fixes) => fixes switch
    {
        Bottlenecks.All => "true",
        Bottlenecks.None => "false",
        _ => string.Join(',', All.Where(b => fixes.HasFlag(b.Value)).Select(b => b.Name)),
    };
}
