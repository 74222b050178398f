namespace PerfTools.Shared.Http;

/// <summary>What to send: one request template that <see cref="HttpLoadClient"/> can send any number of times.</summary>
/// <param name="Label">Endpoint label copied into every <see cref="RequestResult"/> (<c>GET /boards/{id}</c>).</param>
/// <param name="Method">HTTP method, e.g. <c>GET</c>.</param>
/// <param name="Url">Absolute URL.</param>
/// <param name="Headers">Extra request headers; content headers (<c>Content-Type</c>, <c>Content-Language</c>, …)
/// are routed to the body, <c>Host</c> overrides the URL's host.</param>
/// <param name="Body">Request body, or null for none.</param>
/// <param name="ContentType">Body media type; <see cref="EffectiveContentType"/> falls back to JSON.</param>
public sealed record RequestSpec(
    string Label,
    string Method,
    Uri Url,
    IReadOnlyList<KeyValuePair<string, string>>? Headers = null,
    byte[]? Body = null,
    string? ContentType = null)
{
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = Headers ?? [];

    /// <summary>The media type sent with the body: <see cref="ContentType"/>, else <c>application/json</c>
    /// (what the APIs under test speak); null without a body.</summary>
    public string? EffectiveContentType => Body is null ? ContentType : ContentType ?? "application/json";

    /// <summary>The method as <see cref="HttpMethod"/>, once the URL is known to be absolute: what both of
    /// <see cref="HttpLoadClient"/>'s clients refuse before sending anything.</summary>
    /// <exception cref="ArgumentException">A relative URL, or a method that is not an HTTP token.</exception>
    internal HttpMethod CheckedMethod()
    {
        if (!Url.IsAbsoluteUri)
        {
            throw new ArgumentException($"URL must be absolute: {Url}", "spec");
        }

        try
        {
            return HttpMethod.Parse(Method);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"Invalid HTTP method '{Method}'.", "spec", e);
        }
    }
}
