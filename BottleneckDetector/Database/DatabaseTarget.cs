using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using PerfTools.Shared.Cli;

namespace PerfTools.BottleneckDetector.Database;

/// <summary>The database <c>--database-url</c> names: a PostgreSQL server the libpq way
/// (<c>postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=…]</c>, also <c>postgresql://</c>) or a SQLite file.</summary>
/// <remarks>The password is a secret: <see cref="Display"/> and <see cref="ToString"/> mask it, and the command line's
/// Redactor masks it by value everywhere else. Without one in the URL, Npgsql reads PGPASSWORD or ~/.pgpass.</remarks>
internal sealed partial record DatabaseTarget
{
    public const string Allowed =
        // Written so that no part reads as scheme://user@ (the masking would hide the form itself).
        "must be a PostgreSQL URL, postgres:// then USER[:PASSWORD]@HOST[:PORT]/DB (also postgresql://; ?sslmode=… allowed; percent-escape / ? # @ in a password), " +
        "or the path of an existing SQLite database file";

    public const int DefaultPort = 5432;

    private DatabaseTarget(DatabaseKind kind, string display)
    {
        Kind = kind;
        Display = display;
    }

    public DatabaseKind Kind { get; }

    /// <summary>As the reports show it: the URL with its password as <c>***</c>, or the SQLite path.</summary>
    public string Display { get; }

    public string Host { get; private init; } = "";

    public int Port { get; private init; }

    /// <summary>The PostgreSQL database's name, or the SQLite file's path.</summary>
    public string Database { get; private init; } = "";

    public string? User { get; private init; }

    private string? Password { get; init; }

    private SslMode? Ssl { get; init; }

    /// <summary>Parses <c>--database-url</c>; a local check only (the file exists and is SQLite), nothing is asked.</summary>
    /// <returns>The target, or null with <paramref name="problem"/> set to the usage error.</returns>
    public static DatabaseTarget? Parse(string text, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text) || text.Any(char.IsControl))
        {
            problem = Bad(text, "");
            return null;
        }

        return text.Contains("://", StringComparison.Ordinal) ? ParseUrl(text, out problem) : ParseSqlite(text, out problem);
    }

    /// <summary>Npgsql's settings: no pool (one connection, closed after), every transaction read-only by default, a
    /// statement timeout on the server besides the client's, and the tool's name in pg_stat_activity.</summary>
    public NpgsqlConnectionStringBuilder ConnectionSettings(double timeoutSeconds)
    {
        int seconds = (int)Math.Clamp(Math.Ceiling(timeoutSeconds), 1, 1024); // Npgsql refuses a Timeout above 1024 s
        var settings = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Database = Database,
            ApplicationName = DetectorApp.ToolName,
            Pooling = false,
            Timeout = seconds,
            CommandTimeout = seconds,
            Options = string.Create(CultureInfo.InvariantCulture,
                $"-c default_transaction_read_only=on -c statement_timeout={seconds * 1000} -c lock_timeout={Math.Min(seconds, 5) * 1000}"),
        };
        if (User is not null)
        {
            settings.Username = User;
        }

        if (Password is not null)
        {
            settings.Password = Password;
        }

        if (Ssl is { } mode)
        {
            settings.SslMode = mode;
        }

        return settings;
    }

    /// <summary>The password is never part of a printed record.</summary>
    public override string ToString() => Display;

    private static DatabaseTarget? ParseUrl(string text, out string? problem)
    {
        problem = null;
        var match = UrlPattern().Match(text);
        if (!match.Success)
        {
            problem = Bad(text, text.StartsWith("postgres", StringComparison.OrdinalIgnoreCase)
                ? "it is not a URL of that form"
                : "only PostgreSQL is reached by URL; another database's scheme is not supported");
            return null;
        }

        var userInfo = match.Groups["userinfo"];
        int colon = userInfo.Value.IndexOf(':', StringComparison.Ordinal);
        string? user = Unescape(colon < 0 ? userInfo.Value : userInfo.Value[..colon]);
        string? password = colon < 0 ? null : Unescape(userInfo.Value[(colon + 1)..]);
        string host = match.Groups["host"].Value.Trim('[', ']');
        string portText = match.Groups["port"].Value;
        string? database = Unescape(match.Groups["db"].Value);
        int port = DefaultPort;
        if (user is null || password is null && colon >= 0 || database is null)
        {
            problem = Bad(text, "a %-escape in it is malformed");
        }
        else if (host.Length == 0)
        {
            problem = Bad(text, "it names no host");
        }
        else if (match.Groups["port"].Success
                 && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            problem = Bad(text, $"its port '{portText}' is not a number from 1 to 65535");
        }
        else if (database.Length == 0)
        {
            problem = Bad(text, "it names no database (the /DB at the end)");
        }
        else if (database.Contains('/', StringComparison.Ordinal))
        {
            problem = Bad(text, "its database name holds a '/'");
        }

        SslMode? ssl = null;
        if (problem is null && match.Groups["query"].Success)
        {
            foreach (string pair in match.Groups["query"].Value.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var (key, value) = pair.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (pair[..eq], pair[(eq + 1)..]) : (pair, "");
                if (key != "sslmode")
                {
                    problem = Bad(text, $"its parameter '{key}' is not supported; only sslmode is");
                    break;
                }

                // libpq spells them verify-ca and verify-full; Npgsql's enum has no dash.
                if (!Enum.TryParse(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out SslMode mode)
                    || int.TryParse(value, CultureInfo.InvariantCulture, out _))
                {
                    problem = Bad(text, $"its sslmode '{value}' is not disable, allow, prefer, require, verify-ca or verify-full");
                    break;
                }

                ssl = mode;
            }
        }

        if (problem is not null)
        {
            return null;
        }

        string shownUser = user!.Length == 0 ? "" : Uri.EscapeDataString(user);
        string userPart = user.Length == 0 && password is null ? "" : $"{shownUser}{(password is null ? "" : ":" + Redactor.Mask)}@";
        string shownHost = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        string display = string.Create(CultureInfo.InvariantCulture,
            $"postgres://{userPart}{shownHost}:{port}/{Uri.EscapeDataString(database!)}{(ssl is null ? "" : "?" + match.Groups["query"].Value)}");
        return new DatabaseTarget(DatabaseKind.Postgres, display)
        {
            Host = host,
            Port = port,
            Database = database!,
            User = user.Length == 0 ? null : user,
            Password = password,
            Ssl = ssl,
        };
    }

    private static DatabaseTarget? ParseSqlite(string path, out string? problem)
    {
        problem = null;
        try
        {
            if (Directory.Exists(path))
            {
                problem = Bad(path, "it is a folder; name the database file in it");
                return null;
            }

            if (!File.Exists(path))
            {
                problem = Bad(path, "no such file (a SQLite database must exist: the detector only reads it)");
                return null;
            }

            // SQLite's own header; an empty file is an empty database to SQLite.
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            byte[] header = new byte[16];
            int read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            if (read > 0 && !header.AsSpan(0, read).SequenceEqual("SQLite format 3\0"u8[..read]))
            {
                problem = Bad(path, "it is not a SQLite database (no 'SQLite format 3' header)");
                return null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problem = Bad(path, $"it cannot be read ({e.Message})");
            return null;
        }

        return new DatabaseTarget(DatabaseKind.Sqlite, path) { Database = path };
    }

    private static string? Unescape(string text)
    {
        // Uri.UnescapeDataString leaves a broken escape as it is; in a URL it is a typo.
        if (BrokenEscape().IsMatch(text))
        {
            return null;
        }

        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return null;
        }
    }

    private static string Bad(string value, string why) =>
        OptionChecks.Bad("--database-url", value, why.Length == 0 ? Allowed : $"{Allowed} ({why})");

    // scheme://[userinfo@]host[:port][/db][?query]; the userinfo runs to the last '@' before the path, so a password
    // may hold '@' or ':' unescaped. An IPv6 host is bracketed, as in any URL.
    [GeneratedRegex(@"^postgres(?:ql)?://(?:(?<userinfo>[^/?#]*)@)?(?<host>\[[^\]/]*\]|[^:/?#@]*)(?::(?<port>[^/?#]*))?(?:/(?<db>[^?#]*))?(?:\?(?<query>[^#]*))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();

    [GeneratedRegex("%(?![0-9A-Fa-f]{2})", RegexOptions.CultureInvariant)]
    private static partial Regex BrokenEscape();
}

/// <summary>Which kind of database <c>--database-url</c> names.</summary>
internal enum DatabaseKind
{
    Postgres,
    Sqlite,
}
