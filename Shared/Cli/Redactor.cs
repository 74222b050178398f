using System.Text.RegularExpressions;
using PerfTools.Shared.Http;

namespace PerfTools.Shared.Cli;

/// <summary>Masks secrets as <c>***</c> in any text a tool prints or writes to a report: credential header values
/// given with <c>--header</c>, bearer tokens from the environment, and the <c>user:password@</c> of URLs.</summary>
/// <remarks>
/// Two kinds of masking. By value: every known secret (a credential header's value and the credential after its
/// scheme, a token, a URL's user info and password, the Basic credential made from it) is replaced wherever it
/// occurs, so a server echoing it in an error body, a redirect or a message cannot bring it out. By place, for
/// secrets not known in advance: <c>scheme://user:pass@</c> becomes <c>scheme://***@</c>, a credential header
/// line <c>Authorization: …</c> becomes <c>Authorization: ***</c>, and a secret-named query parameter
/// <c>?api_key=…</c> becomes <c>?api_key=***</c>.
/// </remarks>
public sealed partial class Redactor
{
    /// <summary>What a secret is replaced by.</summary>
    public const string Mask = "***";

    /// <summary>Secrets shorter than this are masked only by place: masking every "ab" in the output would garble it.</summary>
    public const int MinValueLength = 4;

    private const string HeaderPrefix = "--header=";

    private static readonly string[] CredentialHeaders = ["authorization", "proxy-authorization", "cookie", "set-cookie"];
    private static readonly string[] CredentialWords = ["token", "secret", "api-key", "api_key", "apikey", "password"];

    private readonly string[] _secrets;

    /// <param name="secrets">Values to mask wherever they occur; null, blank and short ones are ignored.</param>
    public Redactor(IEnumerable<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _secrets = secrets
            .Select(s => s?.Trim())
            .OfType<string>()
            .Where(s => s.Length >= MinValueLength && s != Mask)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length) // a secret that contains another goes first, whole
            .ToArray();
    }

    /// <summary>Masks only by place (URL user info, header lines, query parameters).</summary>
    public static Redactor None { get; } = new([]);

    /// <summary>The secrets of a tool's raw arguments (read before parsing, so even the line rejecting a malformed
    /// <c>--header</c> or URL is masked) plus <paramref name="tokens"/> (from the environment).</summary>
    public static Redactor ForCommandLine(IEnumerable<string> args, params string?[] tokens)
    {
        ArgumentNullException.ThrowIfNull(args);
        var secrets = new List<string?>(tokens);
        foreach (string arg in args)
        {
            // A header looks the same wherever CommandLineParser would put it: "--header A: b C: d" takes both.
            string header = arg.StartsWith(HeaderPrefix, StringComparison.Ordinal) ? arg[HeaderPrefix.Length..] : arg;
            int colon = header.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && OptionChecks.IsToken(header[..colon].Trim()) && IsCredentialHeader(header[..colon].Trim()))
            {
                string value = header[(colon + 1)..].Trim();
                secrets.Add(value);
                secrets.Add(AfterScheme(value));
            }

            foreach (Match m in UrlUserInfo().Matches(arg))
            {
                secrets.AddRange(UserInfoSecrets(m.Groups["userinfo"].Value));
            }
        }

        return new Redactor(secrets);
    }

    /// <summary>Whether a header carries credentials: <c>Authorization</c>, <c>Proxy-Authorization</c>, <c>Cookie</c>,
    /// <c>Set-Cookie</c>, or a name containing token, secret, api-key (api_key, apikey) or password, in any case.</summary>
    public static bool IsCredentialHeader(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return CredentialHeaders.Contains(name, StringComparer.OrdinalIgnoreCase)
            || CredentialWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary><paramref name="text"/> with every secret masked.</summary>
    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (string secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        text = UrlUserInfo().Replace(text, "${scheme}" + Mask + "@");
        text = CredentialHeaderLine().Replace(text, "${name}${sep}" + Mask);
        return CredentialQueryParameter().Replace(text, "${name}" + Mask);
    }

    /// <summary>A URL for display: its user info as <c>***</c> and any other secret masked.</summary>
    public string Redact(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Redact(url.ToString());
    }

    /// <summary>A writer that passes what is written to <paramref name="inner"/> through this redactor.</summary>
    public RedactingWriter Wrap(TextWriter inner) => new(inner, this);

    /// <summary>"Bearer abc" → "abc": the credential alone, as a server might echo it.</summary>
    private static string? AfterScheme(string value)
    {
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? value[(space + 1)..].Trim() : null;
    }

    private static IEnumerable<string?> UserInfoSecrets(string userInfo)
    {
        int colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        string? password = colon < 0 ? null : userInfo[(colon + 1)..];
        string basic = UrlCredentials.BasicAuthorization(userInfo);
        return [userInfo, Unescape(userInfo), password, Unescape(password), basic, AfterScheme(basic)];
    }

    private static string? Unescape(string? text)
    {
        try
        {
            return text is null ? null : Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return null;
        }
    }

    /// <summary><c>scheme://userinfo@</c>; the user info stops where the authority would (<c>/ ? #</c>) or at space.</summary>
    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)(?<userinfo>[^/?#@\s'""<>\\]+)@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlUserInfo();

    /// <summary><c>Authorization: Bearer …</c> and the like: the value is one word, or a scheme and a word, so what
    /// follows it on the line (a closing bracket, the rest of a message) stays.</summary>
    [GeneratedRegex(
        @"(?<name>(?<![A-Za-z0-9\-_])(?:proxy-authorization|authorization|set-cookie|cookie|[A-Za-z0-9\-_]*(?:token|secret|api-key|api_key|apikey|password)[A-Za-z0-9\-_]*))(?<sep>[ \t]*:[ \t]*)(?<value>(?:[A-Za-z]+[ ]+)?[^\s'""<>()\[\]{},;]+)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CredentialHeaderLine();

    /// <summary><c>?access_token=…</c>, <c>&amp;api_key=…</c>, <c>&amp;password=…</c> in a URL.</summary>
    [GeneratedRegex(
        @"(?<name>[?&;][A-Za-z0-9\-_.]*(?:token|secret|api-key|api_key|apikey|password|passwd)[A-Za-z0-9\-_.]*=)(?<value>[^&#\s'""]+)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CredentialQueryParameter();
}
