namespace ForumApi;

/// <summary>Bottleneck 3, a deliberate leak: keeps every raw POST /boards body for the life of the process.</summary>
/// <remarks>Registered as a singleton and never cleared, so heap grows with every board created. In fixed mode nothing is kept.</remarks>
internal sealed class RequestBodyArchive(bool fixedMode)
{
    private readonly List<string> _bodies = [];
    private readonly Lock _gate = new();

    public void Keep(string rawBody)
    {
        if (fixedMode)
            return;
        lock (_gate)
            _bodies.Add(rawBody);
    }

    public int Count
    {
        get
        {
            lock (_gate)
                return _bodies.Count;
        }
    }
}
