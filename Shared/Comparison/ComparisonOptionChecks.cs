using System.Globalization;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Comparison;

/// <summary>The checks of <c>--baseline</c>, <c>--alpha</c>, <c>--max-regression-pct</c> and <c>--min-change-pct</c>, shared by the analyzer
/// and the simulator; each returns the one-line problem (<c>--option 'value': what is allowed</c>) or null.</summary>
public static class ComparisonOptionChecks
{
    /// <summary>Past this a limit is a typo: a p50 ten thousand times the baseline's is not a plan.</summary>
    public const double MaxRegressionPctLimit = 1_000_000;

    public const string AlphaAllowed = "must be a number above 0 and below 1, e.g. 0.05";

    public static readonly string MaxRegressionPctAllowed = string.Create(CultureInfo.InvariantCulture,
        $"must be a number of percent from 0 to {MaxRegressionPctLimit}, e.g. 10");

    public const string MinChangePctAllowed = "must be a number of percent from 0 up to (not including) 100, e.g. 5";

    public const string OnlyWithBaseline = "must only be given with --baseline (there is nothing to compare without one)";

    /// <summary>The problem with <c>--alpha</c>, or null.</summary>
    public static string? CheckAlpha(double alpha) =>
        alpha is > 0 and < 1 ? null : OptionChecks.Bad("--alpha", Num(alpha), AlphaAllowed);

    /// <summary>The problem with <c>--max-regression-pct</c>, or null.</summary>
    public static string? CheckMaxRegressionPct(double pct) =>
        pct is >= 0 and <= MaxRegressionPctLimit ? null : OptionChecks.Bad("--max-regression-pct", Num(pct), MaxRegressionPctAllowed);

    /// <summary>The problem with <c>--min-change-pct</c>, or null.</summary>
    public static string? CheckMinChangePct(double pct) =>
        pct is >= 0 and < 100 ? null : OptionChecks.Bad("--min-change-pct", Num(pct), MinChangePctAllowed);

    /// <summary>The problem with <c>--alpha</c>, <c>--max-regression-pct</c> or <c>--min-change-pct</c> (null when not
    /// given): out of range, or given without <c>--baseline</c>; or null.</summary>
    public static string? CheckComparisonOptions(double? alpha, double? maxRegressionPct, bool baselineGiven, double? minChangePct = null)
    {
        string? problem = (alpha is { } a ? CheckAlpha(a) : null)
            ?? (maxRegressionPct is { } p ? CheckMaxRegressionPct(p) : null)
            ?? (minChangePct is { } c ? CheckMinChangePct(c) : null);
        if (problem is null && !baselineGiven)
        {
            problem = alpha is { } a2 ? OptionChecks.Bad("--alpha", Num(a2), OnlyWithBaseline)
                : maxRegressionPct is { } m ? OptionChecks.Bad("--max-regression-pct", Num(m), OnlyWithBaseline)
                : minChangePct is { } c2 ? OptionChecks.Bad("--min-change-pct", Num(c2), OnlyWithBaseline)
                : null;
        }

        return problem;
    }

    /// <summary>The file <c>--baseline</c> names: the file itself, or the newest <c>&lt;prefix&gt;&lt;ts&gt;.json</c> in the
    /// folder it names; null with <paramref name="problem"/> set when there is none.</summary>
    /// <param name="allowed">What the option allows, for the message (e.g. "must be a performance_data_*.json file or a folder holding one").</param>
    public static string? BaselineFile(string value, string prefix, string allowed, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            problem = OptionChecks.Bad("--baseline", value, allowed);
            return null;
        }

        if (File.Exists(value))
        {
            return value;
        }

        if (!Directory.Exists(value))
        {
            problem = OptionChecks.Bad("--baseline", value, $"{allowed} (no such file or folder)");
            return null;
        }

        try
        {
            string? newest = BaselineFiles.NewestJson(value, prefix);
            if (newest is null)
            {
                problem = OptionChecks.Bad("--baseline", value, $"{allowed} (the folder holds no {prefix}<timestamp>.json)");
            }

            return newest;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = OptionChecks.Bad("--baseline", value, $"{allowed} ({SafeText.OneLine(e.Message)})");
            return null;
        }
    }

    /// <summary>Reads a baseline file with a report reader; a missing, unreadable or damaged file (the readers throw
    /// <see cref="InvalidDataException"/>) is the problem.</summary>
    public static T? ReadBaseline<T>(string value, string path, Func<string, T> read, string allowed, out string? problem)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        problem = null;
        try
        {
            return read(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            // The readers' messages start with the path, which names the file taken from a folder.
            problem = OptionChecks.Bad("--baseline", value, $"{allowed} ({SafeText.OneLine(e.Message)})");
            return null;
        }
    }

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);
}
