using System.Text.RegularExpressions;

namespace PerfTools.Shared.Tracing;

/// <summary>Names a call by what it does rather than by its arguments, so repetitions of one call group together.</summary>
internal static partial class CallNames
{
    // Current OpenTelemetry semconv first, then the older names real traces still carry.
    private static readonly string[] MethodTags = ["http.request.method", "http.method"];
    private static readonly string[] RouteTags = ["http.route", "url.template"];
    private static readonly string[] UrlTags = ["url.full", "http.url", "url.path", "http.target"];

    /// <summary>
    /// A DB span: its statement's fingerprint (literals and IN-lists as <c>?</c>). An HTTP call: method and path
    /// template, e.g. <c>GET /users/{id}</c>. Anything else (cache, RPC): its operation, ids in paths templated.
    /// </summary>
    public static string Normalize(Span span)
    {
        if (SqlText.Statement(span) is { } sql)
        {
            return SqlText.Fingerprint(sql);
        }

        if (FirstTag(span, MethodTags) is { } method && HttpPath(span) is { } path)
        {
            return $"{method.ToUpperInvariant()} {TemplatePath(path)}";
        }

        return TemplatePath(span.Operation);
    }

    /// <summary>Path segments that are numbers, UUIDs or hex ids become <c>{id}</c>.</summary>
    public static string TemplatePath(string text) => IdSegmentRegex().Replace(text, "{id}");

    private static string? HttpPath(Span span)
    {
        if (FirstTag(span, RouteTags) is { } route)
        {
            return route;
        }

        if (FirstTag(span, UrlTags) is not { } url)
        {
            return null;
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri.AbsolutePath;
        }

        // A bare path ("/users/7?x=1"); anything else, e.g. HotROD's "0.0.0.0:8083", names no path.
        return url.StartsWith('/') ? url.Split('?', '#')[0] : null;
    }

    private static string? FirstTag(Span span, string[] keys)
    {
        foreach (var key in keys)
        {
            if (span.Tags.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
        }

        return null;
    }

    // After a slash, up to the next slash, query, space or end: digits, a UUID, or 8+ hex digits with a digit among them
    // (so a word such as "deadbeef" or "accepted" stays).
    [GeneratedRegex(@"(?<=/)(?:\d+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{8,})(?=[/?#\s]|$)")]
    private static partial Regex IdSegmentRegex();
}
