using System.Globalization;
using System.Text.RegularExpressions;

namespace PerfTools.Shared.Comparison;

/// <summary>Finds the baseline in a folder of reports: the newest file of one kind, by the timestamp in its name.</summary>
/// <remarks>The name's timestamp, not the file time: copying a folder of reports keeps the names but not the times,
/// and <c>_10</c> must come after <c>_9</c>, which a plain sort of the names would not give.</remarks>
public static class BaselineFiles
{
    /// <summary>The newest <c>&lt;prefix&gt;yyyyMMdd_HHmmss[_n].json</c> directly in <paramref name="folder"/>, or null when there is none.</summary>
    /// <param name="prefix">E.g. <c>performance_data_</c> or <c>simulation_load_</c>.</param>
    public static string? NewestJson(string folder, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var name = new Regex($"^{Regex.Escape(prefix)}(\\d{{8}}_\\d{{6}})(?:_(\\d{{1,9}}))?\\.json$", RegexOptions.CultureInvariant);
        return Directory.EnumerateFiles(folder, prefix + "*.json")
            .Select(path => (Path: path, Match: name.Match(Path.GetFileName(path))))
            .Where(f => f.Match.Success)
            .OrderBy(f => f.Match.Groups[1].Value, StringComparer.Ordinal)
            .ThenBy(f => f.Match.Groups[2].Success ? int.Parse(f.Match.Groups[2].Value, CultureInfo.InvariantCulture) : 1)
            .Select(f => f.Path)
            .LastOrDefault();
    }
}
