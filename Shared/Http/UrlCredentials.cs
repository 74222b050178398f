using System.Text;

namespace PerfTools.Shared.Http;

/// <summary>Sends a URL's <c>user:password@</c> as HTTP Basic authentication, as curl does: SocketsHttpHandler
/// ignores a request URL's user info, so without this such a URL would reach the server without credentials.</summary>
public static class UrlCredentials
{
    /// <summary><c>Basic base64(user:password)</c> for the URL's user info (percent-decoded, UTF-8), or null when it has none.</summary>
    public static string? BasicAuthorization(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsAbsoluteUri && url.UserInfo.Length > 0 ? BasicAuthorization(url.UserInfo) : null;
    }

    /// <summary><c>Basic base64(user:password)</c> for user info as it stands in a URL (<c>us%40er:p%3Ass</c>): split
    /// at its first ':', each part percent-decoded, as curl does.</summary>
    public static string BasicAuthorization(string escapedUserInfo)
    {
        ArgumentNullException.ThrowIfNull(escapedUserInfo);
        int colon = escapedUserInfo.IndexOf(':', StringComparison.Ordinal);
        string user = Uri.UnescapeDataString(colon < 0 ? escapedUserInfo : escapedUserInfo[..colon]);
        string password = colon < 0 ? "" : Uri.UnescapeDataString(escapedUserInfo[(colon + 1)..]);
        return "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
    }

    /// <summary><paramref name="headers"/> plus an <c>Authorization</c> header made from <paramref name="url"/>'s user
    /// info; unchanged when the URL has none or an <c>Authorization</c> header is already given (the explicit one
    /// wins, as in curl).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> WithBasicAuthorization(
        Uri url, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (BasicAuthorization(url) is not { } basic
            || headers.Any(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)))
        {
            return headers;
        }

        return [.. headers, new("Authorization", basic)];
    }
}
