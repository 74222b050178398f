namespace PerfTools.Shared.Reports;

/// <summary>One run's report names, held against other runs until disposed (after the reports are written).</summary>
public sealed class ReportClaim<T> : IDisposable
{
    private string? _claimFile;

    internal ReportClaim(T paths, string claimFile)
    {
        Paths = paths;
        _claimFile = claimFile;
    }

    public T Paths { get; }

    /// <summary>Gives the names up: the files written under them now keep other runs off.</summary>
    public void Dispose()
    {
        string? claimFile = Interlocked.Exchange(ref _claimFile, null);
        if (claimFile is null)
        {
            return;
        }

        try
        {
            File.Delete(claimFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover claim only makes a later run in the same second take the next suffix.
        }
    }
}
