using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace ForumApi.Data;

/// <summary>A PostgreSQL server named the libpq way, <c>postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=…]</c>.</summary>
/// <remarks>The password is a secret: <see cref="ToString"/> masks it, so printing a URL (or an options record holding
/// one) never shows it. Without one in the URL, Npgsql reads PGPASSWORD or ~/.pgpass, which keeps it out of `ps`.</remarks>
public sealed partial record PostgresUrl(string User, string? Password, string Host, int Port, string Database, SslMode? SslMode = null)
{
    public const int DefaultPort = 5432;
    public const string Form = "postgres://USER[:PASSWORD]@HOST:PORT/DB";
    private const string Mask = "***";

    /// <summary>True when the text names a PostgreSQL server rather than a SQLite file.</summary>
    public static bool LooksLikeUrl(string text) =>
        text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
        text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a URL; on failure <paramref name="problem"/> says what is wrong, with the password masked.</summary>
    public static bool TryParse(string text, out PostgresUrl? url, out string? problem)
    {
        url = null;
        var match = UrlPattern().Match(text);
        if (!match.Success)
        {
            problem = $"'{MaskPassword(text)}' is not a URL of the form {Form}";
            return false;
        }

        var shown = MaskPassword(text);
        var userInfo = match.Groups["userinfo"];
        var colon = userInfo.Value.IndexOf(':');
        var user = Uri.UnescapeDataString(colon < 0 ? userInfo.Value : userInfo.Value[..colon]);
        string? password = colon < 0 ? null : Uri.UnescapeDataString(userInfo.Value[(colon + 1)..]);
        var host = match.Groups["host"].Value.Trim('[', ']');
        var portText = match.Groups["port"].Value;
        var database = Uri.UnescapeDataString(match.Groups["db"].Value);

        problem = null;
        if (!userInfo.Success || user.Length == 0)
            problem = $"'{shown}' names no user";
        else if (host.Length == 0)
            problem = $"'{shown}' names no host";
        else if (match.Groups["port"].Success &&
                 (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out _) || int.Parse(portText, CultureInfo.InvariantCulture) is < 1 or > 65535))
            problem = $"'{shown}' has port '{portText}', not a number from 1 to 65535";
        else if (database.Length == 0)
            problem = $"'{shown}' names no database (the /DB at the end)";
        else if (database.Contains('/'))
            problem = $"'{shown}' has a database name with '/'";

        SslMode? sslMode = null;
        if (problem is null && match.Groups["query"].Success)
        {
            foreach (var pair in match.Groups["query"].Value.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var (key, value) = pair.IndexOf('=') is var eq and > 0 ? (pair[..eq], pair[(eq + 1)..]) : (pair, "");
                if (key != "sslmode")
                {
                    problem = $"'{shown}' has the parameter '{key}'; only sslmode is supported";
                    break;
                }

                // libpq spells them verify-ca and verify-full; Npgsql's enum has no dash.
                if (!Enum.TryParse<SslMode>(value.Replace("-", ""), ignoreCase: true, out var mode) || int.TryParse(value, out _))
                {
                    problem = $"'{shown}' has sslmode '{value}'; use disable, allow, prefer, require, verify-ca or verify-full";
                    break;
                }

                sslMode = mode;
            }
        }

        if (problem is not null)
            return false;

        var port = match.Groups["port"].Success ? int.Parse(portText, CultureInfo.InvariantCulture) : DefaultPort;
        url = new PostgresUrl(user, password, host, port, database, sslMode);
        return true;
    }

    /// <summary>Npgsql's connection settings for this server with a pool of <paramref name="poolSize"/> connections.</summary>
    public NpgsqlConnectionStringBuilder ConnectionSettings(int poolSize, int poolTimeoutSeconds)
    {
        var settings = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Database = Database,
            Username = User,
            ApplicationName = "forum_api",
            Pooling = true,
            // Kept open once made (see Db.WarmUpAsync): pruning idle ones would put connection set-up, not the pool
            // limit, into the next burst.
            MinPoolSize = poolSize,
            MaxPoolSize = poolSize,
            // Npgsql has one Timeout for both: opening a physical connection and waiting for a pooled one.
            Timeout = poolTimeoutSeconds,
        };
        if (Password is not null)
            settings.Password = Password;
        if (SslMode is { } mode)
            settings.SslMode = mode;
        return settings;
    }

    /// <summary>The URL with the password shown as ***: safe for logs, the startup line and error messages.</summary>
    public override string ToString()
    {
        var host = Host.Contains(':') ? $"[{Host}]" : Host;
        var password = Password is null ? "" : ":" + Mask;
        var query = SslMode is { } mode ? $"?sslmode={SslModeName(mode)}" : "";
        return $"postgres://{Uri.EscapeDataString(User)}{password}@{host}:{Port.ToString(CultureInfo.InvariantCulture)}/{Uri.EscapeDataString(Database)}{query}";
    }

    /// <summary>Masks the password in text that may not even parse, so a malformed URL can be quoted back safely.</summary>
    public static string MaskPassword(string text) => PasswordPart().Replace(text, m => m.Groups["before"].Value + Mask + "@");

    private static string SslModeName(SslMode mode) => mode switch
    {
        Npgsql.SslMode.VerifyCA => "verify-ca",
        Npgsql.SslMode.VerifyFull => "verify-full",
        _ => mode.ToString().ToLowerInvariant(),
    };

    // scheme://[userinfo@]host[:port][/db][?query]; the userinfo runs to the last '@' before the path, so a password
    // may hold '@' or ':' unescaped. An IPv6 host is bracketed, as in any URL.
    [GeneratedRegex(@"^postgres(?:ql)?://(?:(?<userinfo>[^/?#]*)@)?(?<host>\[[^\]/]*\]|[^:/?#@]*)(?::(?<port>[^/?#]*))?(?:/(?<db>[^?#]*))?(?:\?(?<query>[^#]*))?$", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"(?<before>^[a-zA-Z][a-zA-Z0-9+.-]*://[^:/?#@]*:)[^/?#]*@")]
    private static partial Regex PasswordPart();
}
