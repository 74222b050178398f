using System.Text;
using PerfTools.Shared.Reports;

namespace PerfTools.Shared.Cli;

/// <summary>The option checks the three tools share; each returns the one-line problem (<c>--option 'value': what is
/// allowed</c>) or null.</summary>
public static class OptionChecks
{
    private const string TokenChars = "!#$%&'*+-.^_`|~";

    /// <summary><c>--option 'value': allowed</c>, the one shape every usage error has; control characters in the value
    /// are shown escaped, so the line stays one line.</summary>
    public static string Bad(string option, string value, string allowed) => $"{option} '{SafeText.Printable(value)}': {allowed}";

    /// <summary>An absolute http(s) URL with a host, or null and <paramref name="problem"/> set.</summary>
    public static Uri? HttpUrl(string text, string option, string example, out string? problem)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(url.Host))
        {
            problem = null;
            return url;
        }

        problem = Bad(option, text, $"must be an absolute http:// or https:// URL, e.g. {example}");
        return null;
    }

    /// <summary>The body of <c>--data</c>: the text itself, or the bytes of the file after <c>@</c>.</summary>
    public static byte[]? ReadData(string data, out string? problem)
    {
        problem = null;
        if (!data.StartsWith('@'))
        {
            return Encoding.UTF8.GetBytes(data);
        }

        try
        {
            return File.ReadAllBytes(data[1..]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problem = Bad("--data", data, $"@file must name a readable file ({OneLine(e.Message)})");
            return null;
        }
    }

    /// <summary>Creates the folder and writes and deletes a probe file, so a run never loads a server for minutes and
    /// then fails to save what it measured.</summary>
    public static string? CheckOutputFolder(string folder, string toolName)
    {
        try
        {
            if (string.IsNullOrWhiteSpace(folder))
            {
                throw new ArgumentException("empty path");
            }

            Directory.CreateDirectory(folder);
            string probe = Path.Combine(folder, $".{toolName}_probe_{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Bad("--output", folder, $"must be a folder that can be created and written ({OneLine(e.Message)})");
        }
    }

    /// <summary>The <c>--header "Name: value"</c> options as pairs, or the first malformed one as the problem.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Headers(IEnumerable<string> options, out string? problem)
    {
        problem = null;
        var headers = new List<KeyValuePair<string, string>>();
        foreach (string header in options)
        {
            int colon = header.IndexOf(':');
            string name = colon > 0 ? header[..colon].Trim() : "";
            string value = colon > 0 ? header[(colon + 1)..].Trim() : "";
            if (!IsToken(name) || value.AsSpan().ContainsAny('\r', '\n'))
            {
                problem = Bad("--header", header, "must be 'Name: value' with a valid header name");
                return [];
            }

            headers.Add(new(name, value));
        }

        return headers;
    }

    /// <summary>RFC 9110 token: what a method or header name may be made of.</summary>
    public static bool IsToken(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || TokenChars.Contains(c));

    public static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
