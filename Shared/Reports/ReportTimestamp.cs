using System.Globalization;

namespace PerfTools.Shared.Reports;

/// <summary>Claims one run's report timestamp: <c>yyyyMMdd_HHmmss</c>, then <c>_2</c>, <c>_3</c> … while any file of
/// that set already exists or another run holds it, so two runs in the same second, even in two processes, never
/// write to the same names.</summary>
/// <remarks>
/// "No file of the set exists yet" alone is a race: two runs can both see a free name and both write it. The claim
/// is a hidden file created with <see cref="FileMode.CreateNew"/>, which the file system grants to one caller only;
/// it is held while the run writes and deleted after. A run that finished in between (its claim gone, its files
/// there) is caught by looking for the files again once the claim is ours.
/// </remarks>
internal static class ReportTimestamp
{
    /// <summary>Ends every claim file's name; the name starts with a dot, so no report glob matches it.</summary>
    public const string ClaimSuffix = ".claim";

    /// <summary>Past this many suffixes something else is wrong (a folder full of stale claims), and a run should
    /// say so rather than loop.</summary>
    private const int MaxSuffix = 10_000;

    /// <summary>EEXIST on Linux and macOS (.NET puts the errno in HResult there), ERROR_FILE_EXISTS on Windows.</summary>
    private static readonly int[] AlreadyExists = [17, unchecked((int)0x80070050)];

    /// <param name="claimPrefix">Starts the claim's name, e.g. <c>performance_</c>, so different tools (or scenarios)
    /// writing to one folder in the same second do not take each other's timestamps.</param>
    /// <param name="pathsFor">The files of the set for a candidate timestamp.</param>
    /// <exception cref="IOException">The folder cannot be created or written, or no suffix is free.</exception>
    public static ReportClaim<T> Claim<T>(
        string folder, string claimPrefix, DateTimeOffset startedAt, Func<string, T> pathsFor, Func<T, IEnumerable<string>> files) =>
        Claim(folder, [claimPrefix], startedAt, pathsFor, files);

    /// <summary>As the one-prefix claim, holding a claim file per prefix: for a set that shares names with another
    /// tool's set (<c>comparison_&lt;ts&gt;</c> of the analyzer and the simulator), both sets claim that prefix too.</summary>
    public static ReportClaim<T> Claim<T>(
        string folder, IReadOnlyList<string> claimPrefixes, DateTimeOffset startedAt, Func<string, T> pathsFor,
        Func<T, IEnumerable<string>> files)
    {
        Directory.CreateDirectory(folder);
        var stamp = startedAt.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture);
        for (var n = 1; n <= MaxSuffix; n++)
        {
            var candidate = n == 1 ? stamp : string.Create(CultureInfo.InvariantCulture, $"{stamp}_{n}");
            T paths = pathsFor(candidate);
            if (files(paths).Any(File.Exists))
            {
                continue;
            }

            var held = new List<string>(claimPrefixes.Count);
            foreach (string prefix in claimPrefixes)
            {
                var claimFile = Path.Combine(folder, $".{prefix}{candidate}{ClaimSuffix}");
                if (!TryCreate(claimFile))
                {
                    break; // another run holds this one
                }

                held.Add(claimFile);
            }

            // Claims are taken without waiting, so two runs that each hold a part both move on: no deadlock.
            if (held.Count < claimPrefixes.Count || files(paths).Any(File.Exists))
            {
                held.ForEach(File.Delete); // partly taken, or a run that held it finished between our two looks
                continue;
            }

            return new ReportClaim<T>(paths, held);
        }

        throw new IOException($"no free report name for {stamp} in '{folder}' after {MaxSuffix} tries");
    }

    private static bool TryCreate(string claimFile)
    {
        try
        {
            new FileStream(claimFile, FileMode.CreateNew, FileAccess.Write, FileShare.None).Dispose();
            return true;
        }
        catch (IOException e) when (AlreadyExists.Contains(e.HResult) || File.Exists(claimFile))
        {
            // Looking at the file alone would race: its holder may have deleted it since.
            return false;
        }
    }
}
