using System.Text;

namespace PerfTools.Shared.Http.Engine;

/// <summary>One request encoded once as HTTP/1.1 bytes, head and body, with a slot where each send writes its own
/// <c>traceparent</c>: sending the same <see cref="RequestSpec"/> again copies bytes and draws 24 random bytes.</summary>
/// <remarks>
/// It writes what SocketsHttpHandler writes for the same spec: the request line with the URL's path and query
/// (never its user info or fragment), <c>Host</c> (the spec's own when given), <c>traceparent</c>, the spec's headers,
/// then the content headers and <c>Content-Length</c> when there is a body, a content header, or a method that must
/// carry one (all but GET, HEAD, CONNECT, OPTIONS and DELETE send <c>Content-Length: 0</c> without a body).
/// <see cref="TryCreate"/> refuses (null) what it does not write the way SocketsHttpHandler would: schemes other than
/// http and https, header values that are not printable ASCII, a header named twice, a <c>Host</c> header on https
/// (SocketsHttpHandler makes it the TLS server name too), and the headers that change how a message is framed or the
/// connection used (<c>Content-Length</c>, <c>Transfer-Encoding</c>, <c>Connection</c>,
/// <c>Expect</c>, <c>Upgrade</c>, <c>TE</c>, <c>Keep-Alive</c>, <c>Proxy-Connection</c>); those go through HttpClient.
/// </remarks>
internal sealed class Http1Request
{
    /// <summary>Length of <c>00-{32 hex}-{16 hex}-01</c>.</summary>
    public const int TraceparentLength = 55;

    // Headers routed to the content by HttpClient (HttpContentHeaders' known headers): dropped with the body when a
    // redirect turns the request into a GET.
    private static readonly HashSet<string> ContentHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Allow", "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Length", "Content-Location",
        "Content-MD5", "Content-Range", "Content-Type", "Expires", "Last-Modified",
    };

    private static readonly HashSet<string> NotForTheEngine = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Transfer-Encoding", "Connection", "Expect", "Upgrade", "TE", "Keep-Alive", "Proxy-Connection",
    };

    private Http1Request(Uri url, HttpMethod method, IReadOnlyList<KeyValuePair<string, string>> headers, byte[]? body,
        string? contentType, byte[] bytes, int traceparentOffset)
    {
        Url = url;
        Method = method;
        Headers = headers;
        Body = body;
        ContentType = contentType;
        Bytes = bytes;
        TraceparentOffset = traceparentOffset;
    }

    public Uri Url { get; }

    public HttpMethod Method { get; }

    /// <summary>Head and body as sent, the traceparent slot filled with zeros.</summary>
    public byte[] Bytes { get; }

    /// <summary>Where in <see cref="Bytes"/> the 55 characters of the traceparent value go.</summary>
    public int TraceparentOffset { get; }

    public bool IsHead => Method == HttpMethod.Head;

    // Kept to build the request a redirect leads to.
    private IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    private byte[]? Body { get; }

    private string? ContentType { get; }

    /// <summary>Checks the spec as HttpLoadClient always has, then encodes it; null when HttpClient must send it.</summary>
    /// <exception cref="ArgumentException">Relative URL, malformed method or header name (as with HttpClient).</exception>
    public static Http1Request? TryCreate(RequestSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        HttpMethod method = spec.CheckedMethod();

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        bool usable = spec.Url.Scheme is "http" or "https";
        foreach ((string name, string value) in spec.Headers)
        {
            if (!IsToken(name))
            {
                throw new ArgumentException($"Invalid header '{name}'.", nameof(spec));
            }

            usable &= !NotForTheEngine.Contains(name) && IsPrintableAscii(value) && seen.Add(name)
                // SocketsHttpHandler takes an https request's Host header as the TLS server name as well.
                && !(spec.Url.Scheme == "https" && name.Equals("Host", StringComparison.OrdinalIgnoreCase));
        }

        return usable ? Create(spec.Url, method, spec.Headers, spec.Body, spec.EffectiveContentType) : null;
    }

    /// <summary>This request sent again to <paramref name="target"/> (same origin), as a GET without body and content
    /// headers when <paramref name="toGet"/>.</summary>
    public Http1Request RedirectedTo(Uri target, bool toGet) => toGet
        ? Create(target, HttpMethod.Get, [.. Headers.Where(h => !ContentHeaders.Contains(h.Key))], null, null)
        : Create(target, Method, Headers, Body, ContentType);

    private static Http1Request Create(
        Uri url, HttpMethod method, IReadOnlyList<KeyValuePair<string, string>> headers, byte[]? body, string? contentType)
    {
        var head = new StringBuilder(256);
        head.Append(method.Method).Append(' ').Append(url.PathAndQuery).Append(" HTTP/1.1\r\n");
        string? host = headers.FirstOrDefault(h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)).Value;
        head.Append("Host: ").Append(host ?? HostHeader(url)).Append("\r\n");
        head.Append("traceparent: ");
        int traceparentOffset = head.Length; // ASCII throughout: chars and bytes line up
        head.Append('0', TraceparentLength).Append("\r\n");
        var content = new List<KeyValuePair<string, string>>();
        foreach (KeyValuePair<string, string> header in headers)
        {
            if (header.Key.Equals("traceparent", StringComparison.OrdinalIgnoreCase) || header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue; // every send gets a fresh trace; Host is written above
            }

            if (ContentHeaders.Contains(header.Key))
            {
                content.Add(header);
            }
            else
            {
                head.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
            }
        }

        if (body is not null || content.Count > 0 || MustHaveBody(method))
        {
            // The spec's own Content-Type replaces the body's media type, as on HttpContent.
            if (body is not null && contentType is not null
                && !content.Any(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
            {
                head.Append("Content-Type: ").Append(contentType).Append("\r\n");
            }

            foreach (KeyValuePair<string, string> header in content)
            {
                head.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
            }

            head.Append("Content-Length: ").Append(body?.Length ?? 0).Append("\r\n");
        }

        head.Append("\r\n");
        int headBytes = Encoding.ASCII.GetByteCount(head.ToString());
        byte[] bytes = new byte[headBytes + (body?.Length ?? 0)];
        Encoding.ASCII.GetBytes(head.ToString(), bytes);
        body?.CopyTo(bytes, headBytes);
        return new Http1Request(url, method, headers, body, contentType, bytes, traceparentOffset);
    }

    /// <summary>Host, and the port unless it is the scheme's default; an IPv6 literal in brackets.</summary>
    private static string HostHeader(Uri url)
    {
        string host = url.HostNameType == UriHostNameType.IPv6 && !url.IdnHost.StartsWith('[') ? $"[{url.IdnHost}]" : url.IdnHost;
        return url.IsDefaultPort ? host : $"{host}:{url.Port}";
    }

    // SocketsHttpHandler sends Content-Length: 0 for a body-less request of these (HttpMethod.MustHaveRequestBody).
    private static bool MustHaveBody(HttpMethod method) =>
        method != HttpMethod.Get && method != HttpMethod.Head && method != HttpMethod.Connect
        && method != HttpMethod.Options && method != HttpMethod.Delete;

    private static bool IsToken(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPrintableAscii(string value)
    {
        foreach (char c in value)
        {
            if (c is < ' ' or > '~' && c != '\t')
            {
                return false;
            }
        }

        return true;
    }
}
