namespace PerfTools.Shared.Reports;

/// <summary>Writes a file so that readers only ever see it whole: a temporary name in the same folder, then a rename.</summary>
internal static class AtomicFile
{
    /// <summary>Marks our temporary files, so tests (and people) can tell them from reports.</summary>
    public const string TempSuffix = ".tmp";

    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no folder", nameof(path));
        Directory.CreateDirectory(folder);
        // Same folder, so the rename stays on one file system and is atomic.
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
