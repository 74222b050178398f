using System.Text;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Cli;

/// <summary>The option checks the three tools share; each returns the one-line problem (<c>--option 'value': what is
/// allowed</c>) or null.</summary>
public static class OptionChecks
{
    private const string TokenChars = "!#$%&'*+-.^_`|~";

    /// <summary><c>--option 'value': allowed</c>, the one shape every usage error has.</summary>
    public static string Bad(string option, string value, string allowed) => $"{Printable(option)} '{Printable(value)}': {allowed}";

    /// <summary>Control characters in <paramref name="text"/> written as escapes, so a value quoted in a message stays on
    /// its one line and cannot move the terminal's cursor.</summary>
    public static string Printable(string text) => SafeText.Printable(text);

    /// <summary>A day. A longer per-request timeout is a typo, and timers refuse more than about 24.8 days
    /// (<c>int.MaxValue</c> ms), which would crash a run after validation.</summary>
    public const double MaxTimeoutSeconds = 86_400;

    /// <summary>What <c>--timeout</c> allows, in every tool.</summary>
    public const string TimeoutAllowed = "must be a number of seconds above 0 and at most 86400 (a day)";

    /// <summary>The largest <c>--data</c> body: a load test's request body, not a file to upload, and read whole
    /// into memory (so <c>@/dev/zero</c> must not be read forever).</summary>
    public const int MaxDataBytes = 64 * 1024 * 1024;

    /// <summary>What a URL option allows, with <paramref name="example"/>.</summary>
    public static string UrlAllowed(string example) => $"must be an absolute http:// or https:// URL without spaces, e.g. {example}";

    /// <summary>An absolute http(s) URL with a host, or null and <paramref name="problem"/> set.</summary>
    /// <remarks>Spaces and control characters are refused rather than trimmed or escaped as <see cref="Uri"/> would:
    /// <c>" http://host"</c> or <c>"http://host/a b"</c> is a quoting mistake, not the URL meant.</remarks>
    public static Uri? HttpUrl(string text, string option, string example, out string? problem)
    {
        if (!text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            && Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(url.Host))
        {
            problem = null;
            return url;
        }

        problem = Bad(option, text, UrlAllowed(example));
        return null;
    }

    /// <summary>A per-request timeout in seconds: above 0 and at most <see cref="MaxTimeoutSeconds"/>, or the problem.</summary>
    public static string? CheckTimeout(double seconds) =>
        double.IsFinite(seconds) && seconds > 0 && seconds <= MaxTimeoutSeconds
            ? null
            : Bad("--timeout", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), TimeoutAllowed);

    /// <summary>The body of <c>--data</c>: the text itself, or the bytes of the file after <c>@</c> (at most
    /// <see cref="MaxDataBytes"/>).</summary>
    public static byte[]? ReadData(string data, out string? problem)
    {
        problem = null;
        if (!data.StartsWith('@'))
        {
            return Encoding.UTF8.GetBytes(data);
        }

        string path = data[1..];
        if (path.Length == 0)
        {
            problem = Bad("--data", data, "@ must be followed by a file name, e.g. @body.json");
            return null;
        }

        if (Directory.Exists(path))
        {
            problem = Bad("--data", data, "@file must name a readable file, not a folder");
            return null;
        }

        try
        {
            if (ReadBounded(path, MaxDataBytes) is not { } body)
            {
                problem = Bad("--data", data, "@file must be at most 64 MB");
                return null;
            }

            return body;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problem = Bad("--data", data, $"@file must name a readable file ({SafeText.OneLine(e.Message)})");
            return null;
        }
    }

    /// <summary>The bytes of <paramref name="path"/>, or null when it holds more than <paramref name="maxBytes"/>.</summary>
    /// <remarks>Reads until the end instead of trusting the length: /proc files and devices report 0, /dev/zero has no end.</remarks>
    public static byte[]? ReadBounded(string path, long maxBytes)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        using var bytes = new MemoryStream();
        byte[] buffer = new byte[81920];
        int read;
        while ((read = file.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (bytes.Length + read > maxBytes)
            {
                return null;
            }

            bytes.Write(buffer, 0, read);
        }

        return bytes.ToArray();
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

            if (File.Exists(folder))
            {
                return Bad("--output", folder, "must be a folder, not an existing file");
            }

            Directory.CreateDirectory(folder);
            string probe = Path.Combine(folder, $".{toolName}_probe_{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Bad("--output", folder, $"must be a folder that can be created and written ({SafeText.OneLine(e.Message)})");
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
            // RFC 9110 field-value: no control characters but tab (CR or LF would start a header of their own).
            if (!IsToken(name) || value.Any(c => char.IsControl(c) && c != '\t'))
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

}
