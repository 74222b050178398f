namespace PerfTools.Shared.Reports;

/// <summary>One run's report names, held against other runs until disposed (after the reports are written).</summary>
public sealed class ReportClaim<T> : IDisposable
{
    private IReadOnlyList<string>? _claimFiles;

    internal ReportClaim(T paths, IReadOnlyList<string> claimFiles)
    {
        Paths = paths;
        _claimFiles = claimFiles;
    }

    public T Paths { get; }

    /// <summary>Gives the names up: the files written under them now keep other runs off.</summary>
    public void Dispose()
    {
        IReadOnlyList<string>? claimFiles = Interlocked.Exchange(ref _claimFiles, null);
        foreach (string claimFile in claimFiles ?? [])
        {
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
}
