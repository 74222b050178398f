using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Reports.Detector;
using PerfTools.Shared.Text;

namespace PerfTools.BottleneckDetector;

/// <summary>Finds and reads the findings report <c>--baseline</c> names (a file, or a folder's newest
/// <c>bottleneck_findings_*.json</c>) before anything is asked, so a wrong or damaged baseline is a usage error, not a
/// surprise after the run.</summary>
internal static class BaselineFile
{
    public const string Allowed = "must be a bottleneck_findings_*.json of an earlier run, or a folder holding one";

    /// <summary>A findings report is a few KB; anything this large is not one (and <c>/dev/zero</c> must not be read forever).</summary>
    private const int MaxBytes = 64 * 1024 * 1024;

    /// <returns>The file read and what it holds, or null with <paramref name="problem"/> set to the one line to print.</returns>
    public static (string Path, DetectionSummary Summary)? Load(string value, out string? problem)
    {
        problem = null;
        string path = value;
        try
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                problem = Bad(value, "");
                return null;
            }

            if (Directory.Exists(value))
            {
                if (Newest(value) is not { } newest)
                {
                    problem = Bad(value, "there is none in that folder");
                    return null;
                }

                path = newest;
            }
            else if (!File.Exists(value))
            {
                problem = Bad(value, "no such file or folder");
                return null;
            }

            using var stream = new MemoryStream(ReadBounded(path));
            return (path, FindingsJson.Read(stream));
        }
        catch (InvalidDataException e)
        {
            problem = Bad(value, path == value ? e.Message : $"{path}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problem = Bad(value, $"{path} cannot be read: {e.Message}");
        }

        return null;
    }

    /// <summary>The newest <c>bottleneck_findings_&lt;ts&gt;.json</c> of <paramref name="folder"/> by the timestamp in its
    /// name (<c>_2</c>, <c>_10</c> … after the plain one), or null when there is none.</summary>
    public static string? Newest(string folder) => BaselineFiles.NewestJson(folder, "bottleneck_findings_");

    private static byte[] ReadBounded(string path) =>
        OptionChecks.ReadBounded(path, MaxBytes) ?? throw new InvalidDataException("larger than 64 MB, so not a findings report");

    private static string Bad(string value, string why) =>
        OptionChecks.Bad("--baseline", value, why.Length == 0 ? Allowed : $"{Allowed} ({SafeText.OneLine(why)})");
}
