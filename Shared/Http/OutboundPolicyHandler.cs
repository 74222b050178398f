using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace PerfTools.Shared.Http;

/// <summary>The outbound HTTP policy all three tools share: redirects are followed only within the request's origin
/// and at most <see cref="MaxRedirects"/> times, and a rejected TLS certificate is reported as such.</summary>
/// <remarks>
/// The policy lives here rather than in <see cref="SocketsHttpHandler.AllowAutoRedirect"/>, which follows up to 50
/// redirects to any host: a redirect to another origin is where a bearer token or a load test would leak, so it is
/// never followed. The redirect that was not followed is returned as the response, and
/// <see cref="NotFollowedReason"/> says why; since nothing crosses origins, <c>Authorization</c>, <c>Cookie</c> and
/// <c>Proxy-Authorization</c> never reach another host. 301/302 turn a POST into a GET and 303 turns anything but
/// HEAD into a GET, without the body (the fetch standard, as browsers and <c>curl -L</c> do); 307/308 keep method
/// and body.
/// </remarks>
public sealed class OutboundPolicyHandler : DelegatingHandler
{
    /// <summary>Redirects followed per request; the next one is refused.</summary>
    public const int MaxRedirects = 5;

    private static readonly HttpRequestOptionsKey<int> FollowedKey = new("PerfTools.RedirectsFollowed");
    private static readonly HttpRequestOptionsKey<string> NotFollowedKey = new("PerfTools.RedirectNotFollowed");

    // Why the last certificate was rejected; read when a TLS handshake fails, to name the cause.
    private string? _certificateRejection;

    /// <param name="inner">Must not follow redirects itself (<see cref="SocketsHttpHandler.AllowAutoRedirect"/> false).</param>
    /// <param name="insecure">Accept any TLS certificate (<c>--insecure</c>).</param>
    public OutboundPolicyHandler(SocketsHttpHandler inner, bool insecure)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (inner.AllowAutoRedirect)
        {
            throw new ArgumentException("The inner handler must not follow redirects; this handler does.", nameof(inner));
        }

        inner.SslOptions.RemoteCertificateValidationCallback = insecure ? static (_, _, _, _) => true : Validate;
    }

    /// <summary>A handler for API queries (Prometheus, Jaeger): no proxy from the environment, no cookies.</summary>
    public static OutboundPolicyHandler Create(TimeSpan connectTimeout, bool insecure) => new(
        new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectTimeout = connectTimeout,
        },
        insecure);

    /// <summary>How many redirects were followed to get <paramref name="response"/>.</summary>
    public static int RedirectsFollowed(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.RequestMessage?.Options.TryGetValue(FollowedKey, out int followed) == true ? followed : 0;
    }

    /// <summary>Why <paramref name="response"/>, a redirect, was not followed (one line naming its target without
    /// user info); null when it is not a redirect.</summary>
    public static string? NotFollowedReason(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.RequestMessage?.Options.TryGetValue(NotFollowedKey, out string? why) == true ? why : null;
    }

    /// <summary>Same scheme, host and port: the only redirects followed.</summary>
    public static bool SameOrigin(Uri a, Uri b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.IsAbsoluteUri && b.IsAbsoluteUri
            && string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
            && a.Port == b.Port;
    }

    /// <summary><paramref name="uri"/> as text without <c>user:password@</c>.</summary>
    public static string WithoutUserInfo(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsAbsoluteUri
            ? uri.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped)
            : uri.OriginalString;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Uri origin = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        for (int followed = 0; ; followed++)
        {
            HttpResponseMessage response = await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
            if (followed > 0)
            {
                request.Options.Set(FollowedKey, followed); // absent means none, sparing every plain request an entry
            }

            if (!IsRedirect(response.StatusCode))
            {
                return response;
            }

            Uri? next = response.Headers.Location is { } location && Uri.TryCreate(request.RequestUri, location, out Uri? target)
                ? target
                : null;
            string? refusal = next is null ? $"HTTP {(int)response.StatusCode} redirect without a usable Location not followed"
                : !SameOrigin(origin, next) ? $"redirect to {WithoutUserInfo(next)} not followed (another origin)"
                : followed >= MaxRedirects ? $"redirect to {WithoutUserInfo(next)} not followed (more than {MaxRedirects} redirects)"
                : null;
            if (refusal is not null)
            {
                request.Options.Set(NotFollowedKey, refusal);
                return response;
            }

            HttpStatusCode status = response.StatusCode;
            response.Dispose();
            if (TurnsIntoGet(status, request.Method))
            {
                request.Method = HttpMethod.Get;
                request.Content = null; // its content headers (Content-Type, …) go with it
            }

            // The same message is sent again, as SocketsHttpHandler's own redirect handler does; below HttpClient
            // a message may be sent more than once.
            request.RequestUri = next;
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently
        or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect
        or HttpStatusCode.PermanentRedirect;

    private static bool TurnsIntoGet(HttpStatusCode status, HttpMethod method) => status switch
    {
        HttpStatusCode.MovedPermanently or HttpStatusCode.Found => method == HttpMethod.Post,
        HttpStatusCode.SeeOther => method != HttpMethod.Get && method != HttpMethod.Head,
        _ => false,
    };

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError
                                             && Volatile.Read(ref _certificateRejection) is { } why)
        {
            // .NET says "The SSL connection could not be established, see inner exception."; the cause, one line.
            throw new HttpRequestException(
                HttpRequestError.SecureConnectionError,
                $"TLS certificate of {request.RequestUri?.IdnHost} rejected ({why}); use --insecure if you trust the server");
        }

        // SocketsHttpHandler ignores a Content-Length it cannot parse and reads until the server closes, which a
        // keep-alive server never does: the request would end as a timeout instead of the protocol error it is.
        if (response.Content.Headers.NonValidated.TryGetValues("Content-Length", out HeaderStringValues length)
            && response.Content.Headers.ContentLength is null)
        {
            response.Dispose();
            throw new HttpRequestException(HttpRequestError.InvalidResponse, $"malformed Content-Length header '{Excerpt(length.ToString())}'");
        }

        return response;
    }

    private static string Excerpt(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        string? rejection = Rejection(chain, errors);
        Volatile.Write(ref _certificateRejection, rejection);
        return rejection is null;
    }

    /// <summary>Why a certificate is rejected (<c>RemoteCertificateChainErrors: UntrustedRoot</c>), null when it is
    /// accepted; the load engine's TLS connections use it too.</summary>
    internal static string? Rejection(X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return null;
        }

        // The chain statuses say why (UntrustedRoot for a self-signed certificate, NotTimeValid when expired).
        string[] statuses = chain?.ChainStatus.Select(s => s.Status.ToString()).Distinct().ToArray() ?? [];
        return statuses.Length > 0 ? $"{errors}: {string.Join(", ", statuses)}" : errors.ToString();
    }
}
