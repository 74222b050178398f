using System.Globalization;
using ForumApi.Data;

namespace ForumApi;

/// <summary>Reads forum_api's own options before the host is built, so a typo fails fast with exit code 2.</summary>
internal static class ForumCommandLine
{
    public const int ExitOk = 0;
    public const int ExitCannotStart = 1;
    public const int ExitUsage = 2;

    public const string HelpText = """
        forum_api - sample forum API with five deliberate, documented bottlenecks

        Usage: forum_api [--urls URL] [--db PATH | --db postgres://USER[:PASSWORD]@HOST:PORT/DB]
                         [--seed N] [--fixed | --fix NAMES] [--pool-size N] [--pool-timeout SECONDS] [--help]

          --urls URL            where Kestrel listens (default http://127.0.0.1:8080; port 0 picks a free port)
          --db PATH             SQLite file to use (default: a fresh temp file, deleted on exit)
          --db postgres://...   use this PostgreSQL server instead (postgresql:// too; ?sslmode=... allowed); the
                                tables are created when missing. Without :PASSWORD, PGPASSWORD or ~/.pgpass is used.
                                The password is never printed.
          --seed N              pre-create N boards with posts and comments (deterministic; on PostgreSQL also a
                                bulk archive of 40,000 comments per seeded board: --seed 5 gives 200,000). Skipped when the
                                database already holds boards.
          --fixed               turn all five bottlenecks off
          --fix NAMES           turn only these off, comma-separated: slow (/slow's wait), nplus1 (N+1 counts),
                                leak (request-body leak), index (missing comments.post_id index),
                                pool (/slow holding its pooled connection; PostgreSQL only)
          --pool-size N         PostgreSQL: connections in the pool (default 10)
          --pool-timeout SECONDS
                                PostgreSQL: how long a request waits for a free connection before it is answered 503
                                (default 1; also bounds connecting)
          --help                show this text

        Exit codes: 0 clean stop or --help, 1 could not start (port taken, database unreachable or not writable),
        2 bad command line.
        """;

    public static ParsedCommandLine Parse(IReadOnlyList<string> args)
    {
        var options = new ForumOptions();
        var poolOption = (string?)null; // the first pool option seen, to reject it without PostgreSQL
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
                        return Fail(options, "--fixed takes no value", "write just --fixed, or --fix NAMES for some");
                    options = options with { Fixes = Bottlenecks.All };
                    break;
                case "--urls":
                case "--db":
                case "--seed":
                case "--fix":
                case "--pool-size":
                case "--pool-timeout":
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
                            if (PostgresUrl.LooksLikeUrl(value))
                            {
                                if (!PostgresUrl.TryParse(value, out var url, out var problem))
                                    return Fail(options, $"--db {problem}", $"write --db {PostgresUrl.Form}");
                                options = options with { Postgres = url, DbPath = null };
                            }
                            else if (value.Contains("://", StringComparison.Ordinal))
                            {
                                return Fail(options, $"--db '{PostgresUrl.MaskPassword(value)}' is neither a postgres:// URL nor a file path",
                                    $"write --db {PostgresUrl.Form} or --db PATH for SQLite");
                            }
                            else
                            {
                                options = options with { DbPath = value, Postgres = null };
                            }

                            break;
                        case "--fix":
                            var fixes = options.Fixes;
                            foreach (var name in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                            {
                                var match = BottleneckNames.All.FirstOrDefault(b => b.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
                                if (match.Name is null)
                                    return Fail(options, $"--fix '{name}' is not a bottleneck name",
                                        $"use {string.Join(", ", BottleneckNames.All.Select(b => b.Name))} (comma-separated), or --fixed for all");
                                fixes |= match.Value;
                            }

                            options = options with { Fixes = fixes };
                            break;
                        case "--pool-size":
                            if (!TryParseInRange(value, 1, 1000, out var size))
                                return Fail(options, $"--pool-size '{value}' is not a whole number from 1 to 1000", "write e.g. --pool-size 10");
                            options = options with { PoolSize = size };
                            poolOption ??= arg;
                            break;
                        case "--pool-timeout":
                            // Whole seconds: Npgsql's Timeout setting has no finer unit.
                            if (!TryParseInRange(value, 1, 3600, out var seconds))
                                return Fail(options, $"--pool-timeout '{value}' is not a whole number of seconds from 1 to 3600", "write e.g. --pool-timeout 1");
                            options = options with { PoolTimeoutSeconds = seconds };
                            poolOption ??= arg;
                            break;
                        default:
                            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
                                return Fail(options, $"--seed '{value}' is not a whole number >= 0", "write e.g. --seed 50");
                            options = options with { Seed = seed };
                            break;
                    }

                    break;
                default:
                    return Fail(options, $"unknown option '{PostgresUrl.MaskPassword(args[i])}'", "run forum_api --help for the options");
            }
        }

        if (poolOption is not null && options.Postgres is null)
            return Fail(options, $"{poolOption} applies only to PostgreSQL (SQLite has no connection pool limit)", $"add --db {PostgresUrl.Form} or drop {poolOption}");

        return new ParsedCommandLine(options);
    }

    private static bool TryParseInRange(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    private static string Placeholder(string option) => option switch
    {
        "--urls" => "http://127.0.0.1:8080",
        "--db" => "PATH",
        "--fix" => "pool,index",
        "--pool-timeout" => "SECONDS",
        _ => "N",
    };

    private static ParsedCommandLine Fail(ForumOptions options, string problem, string fix) =>
        new(options, Error: $"forum_api: {problem}; {fix}");
}
