using System.Globalization;

namespace ForumApi;

/// <summary>Reads forum_api's own options before the host is built, so a typo fails fast with exit code 2.</summary>
internal static class ForumCommandLine
{
    public const int ExitOk = 0;
    public const int ExitUsage = 2;

    public const string HelpText = """
        forum_api - sample forum API with four deliberate, documented bottlenecks

        Usage: forum_api [--urls URL] [--db PATH] [--seed N] [--fixed] [--help]

          --urls URL   where Kestrel listens (default http://127.0.0.1:8080; port 0 picks a free port)
          --db PATH    SQLite file to use (default: a fresh temp file, deleted on exit)
          --seed N     pre-create N boards with posts and comments (deterministic)
          --fixed      turn all four bottlenecks off (/slow, N+1, request-body leak, missing index)
          --help       show this text

        Exit codes: 0 clean stop, 2 bad command line.
        """;

    public static ParsedCommandLine Parse(IReadOnlyList<string> args)
    {
        var options = new ForumOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inlineValue = null;
            // Accept --name=value as well as --name value, as most CLIs do.
            var eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inlineValue = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            switch (arg)
            {
                case "--help" or "-h":
                    return new ParsedCommandLine(options, ShowHelp: true);
                case "--fixed":
                    if (inlineValue is not null)
                        return Fail(options, "--fixed takes no value", "write just --fixed");
                    options = options with { Fixed = true };
                    break;
                case "--urls":
                case "--db":
                case "--seed":
                    var value = inlineValue;
                    if (value is null)
                    {
                        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                            return Fail(options, $"{arg} needs a value", $"write {arg} {Placeholder(arg)}");
                        value = args[++i];
                    }

                    if (string.IsNullOrWhiteSpace(value))
                        return Fail(options, $"{arg} value is empty", $"write {arg} {Placeholder(arg)}");

                    switch (arg)
                    {
                        case "--urls":
                            if (!Uri.TryCreate(value.Split(';')[0], UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                                return Fail(options, $"--urls '{value}' is not an http(s) URL", "write e.g. --urls http://127.0.0.1:8080");
                            options = options with { Urls = value };
                            break;
                        case "--db":
                            options = options with { DbPath = value };
                            break;
                        default:
                            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
                                return Fail(options, $"--seed '{value}' is not a whole number >= 0", "write e.g. --seed 50");
                            options = options with { Seed = seed };
                            break;
                    }

                    break;
                default:
                    return Fail(options, $"unknown option '{args[i]}'", "run forum_api --help for the options");
            }
        }

        return new ParsedCommandLine(options);
    }

    private static string Placeholder(string option) => option switch
    {
        "--urls" => "http://127.0.0.1:8080",
        "--db" => "PATH",
        _ => "N",
    };

    private static ParsedCommandLine Fail(ForumOptions options, string problem, string fix) =>
        new(options, Error: $"forum_api: {problem}; {fix}");
}
