using System.Globalization;

namespace PerfTools.Shared.Reports;

/// <summary>Picks one run's report timestamp: <c>yyyyMMdd_HHmmss</c>, then <c>_2</c>, <c>_3</c> … while any file of
/// that set already exists, so a second run in the same second never overwrites the first.</summary>
internal static class ReportTimestamp
{
    public static string Free(DateTimeOffset startedAt, Func<string, IEnumerable<string>> pathsFor)
    {
        var stamp = startedAt.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture);
        for (var n = 1; ; n++)
        {
            var candidate = n == 1 ? stamp : string.Create(CultureInfo.InvariantCulture, $"{stamp}_{n}");
            if (!pathsFor(candidate).Any(File.Exists))
            {
                return candidate;
            }
        }
    }
}
