using System.Globalization;
using System.Numerics;
using System.Reflection;
using CommandLine;

namespace PerfTools.Shared.Cli;

/// <summary>Checks the shape of a command line against an options class before CommandLineParser sees it: unknown
/// options, missing values, options given twice, stray words and numbers that are not numbers, each as one line
/// <c>--option 'value': what is allowed</c>.</summary>
/// <remarks>
/// CommandLineParser on its own takes <c>--iterations 3 --iterations 4</c> (AllowMultiInstance, which --header
/// needs), drops a trailing <c>--iterations</c> with no value, ignores stray words, reads <c>1,5</c> as 15 and
/// <c>--data -x</c> as an unknown option <c>-x</c>; and its messages name neither the value nor what is allowed.
/// </remarks>
internal static class ArgumentScan
{
    private enum Kind
    {
        Switch,
        Repeatable,
        List, // repeatable, and the words after its value are more values: --merge a b c
        Text,
        WholeNumber,
        Number,
    }

    /// <param name="allowed">What a tool allows for an option (<c>must be a whole number from 1 to 1000</c>), or
    /// null for a generic phrase.</param>
    /// <param name="normalized">The arguments with a value that starts with '-' attached as <c>--name=-value</c>, so
    /// the parser never mistakes it for an option.</param>
    /// <returns>The one-line problem, or null. <c>--help</c> and <c>--version</c> win over any problem.</returns>
    public static string? Check(Type optionsType, string[] args, Func<string, string?> allowed, out string[] normalized)
    {
        normalized = args;
        Dictionary<string, Kind> options = Options(optionsType);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>(args.Length);
        string? problem = null;
        for (int i = 0; i < args.Length; i++)
        {
            string token = args[i];
            if (token is "--help" or "--version")
            {
                normalized = [token]; // help or the version, whatever else is wrong
                return null;
            }

            if (problem is not null)
            {
                continue; // the first problem is the one reported; still look for --help
            }

            if (!token.StartsWith('-') || token is "-" or "--")
            {
                problem = OptionChecks.Bad("argument", token, "must be an option (--name value); see --help");
                continue;
            }

            int equals = token.IndexOf('=', StringComparison.Ordinal);
            string option = equals > 0 ? token[..equals] : token;
            string name = option.StartsWith("--", StringComparison.Ordinal) ? option[2..] : "";
            if (!options.TryGetValue(name, out Kind kind))
            {
                problem = $"{OptionChecks.Printable(option)}: not an option; must be one of {string.Join(", ", options.Keys.Order(StringComparer.Ordinal).Select(o => "--" + o))} (see --help)";
                continue;
            }

            if (kind is not (Kind.Repeatable or Kind.List) && !seen.Add(name))
            {
                string again = kind == Kind.Switch ? "" : $" '{OptionChecks.Printable(equals > 0 ? token[(equals + 1)..] : i + 1 < args.Length ? args[i + 1] : "")}'";
                problem = $"{option}{again}: given twice; must be given at most once{Repeatables(options)}";
                continue;
            }

            if (kind == Kind.Switch)
            {
                problem = equals > 0 ? OptionChecks.Bad(option, token[(equals + 1)..], "must be given without a value (it is a switch)") : null;
                result.Add(option);
                continue;
            }

            string? value = equals > 0 ? token[(equals + 1)..] : null;
            if (value is null && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }

            if (value is null)
            {
                problem = $"{option}: no value given; {allowed(option) ?? "must be followed by a value"}";
                continue;
            }

            problem = kind switch
            {
                Kind.WholeNumber when !IsWholeNumber(value) =>
                    OptionChecks.Bad(option, value, allowed(option) ?? "must be a whole number"),
                Kind.Number when !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) =>
                    OptionChecks.Bad(option, value, (allowed(option) ?? "must be a number") + ", written with digits and a dot for decimals"),
                _ => null,
            };
            // Attached when it starts with '-', so the parser takes "-x" or "-1" as the value and not as an option;
            // apart otherwise, as the parser refuses an attached empty or blank value.
            result.AddRange(value.StartsWith('-') ? [$"{option}={value}"] : [option, value]);
            while (kind == Kind.List && i + 1 < args.Length && !args[i + 1].StartsWith('-'))
            {
                result.AddRange([option, args[++i]]); // one value per instance, as the parser takes a repeated option
            }
        }

        normalized = [.. result];
        return problem;
    }

    /// <summary>A whole number the parser can hold; a larger one is refused by the same words as a malformed one,
    /// which name the range.</summary>
    private static bool IsWholeNumber(string value) =>
        BigInteger.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out BigInteger n) && n >= int.MinValue && n <= int.MaxValue;

    private static string Repeatables(Dictionary<string, Kind> options)
    {
        var repeatable = options.Where(o => o.Value is Kind.Repeatable or Kind.List).Select(o => "--" + o.Key).Order(StringComparer.Ordinal).ToList();
        return repeatable.Count == 0 ? "" : $" (only {string.Join(", ", repeatable)} may repeat)";
    }

    private static Dictionary<string, Kind> Options(Type optionsType)
    {
        var options = new Dictionary<string, Kind>(StringComparer.Ordinal);
        foreach (PropertyInfo property in optionsType.GetProperties())
        {
            if (property.GetCustomAttribute<OptionAttribute>() is not { LongName.Length: > 0 } attribute)
            {
                continue;
            }

            Type type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            options[attribute.LongName] = property.GetCustomAttribute<ValueListAttribute>() is not null ? Kind.List
                : type == typeof(bool) ? Kind.Switch
                : type == typeof(int) ? Kind.WholeNumber
                : type == typeof(double) ? Kind.Number
                : type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? Kind.Repeatable
                : Kind.Text;
        }

        return options;
    }
}
