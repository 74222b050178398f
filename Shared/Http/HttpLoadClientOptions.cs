namespace PerfTools.Shared.Http;

/// <summary>How <see cref="HttpLoadClient"/> connects: one set per run.</summary>
/// <param name="TimeoutSeconds">Per-request limit covering connect, headers and body.</param>
/// <param name="MaxConnections">Keep-alive connections per server; requests beyond it queue for one.</param>
/// <param name="Insecure">Accept any TLS certificate (self-signed test servers).</param>
public sealed record HttpLoadClientOptions(
    double TimeoutSeconds = 30,
    int MaxConnections = 1000,
    bool Insecure = false)
{
    /// <summary>Which client sends the requests; <see cref="LoadEngine.Http1"/> unless a comparison or a
    /// regression hunt asks for HttpClient.</summary>
    public LoadEngine Engine { get; init; } = LoadEngine.Http1;
}

/// <summary>The HTTP client under <see cref="HttpLoadClient"/>.</summary>
public enum LoadEngine
{
    /// <summary>The toolkit's own HTTP/1.1 engine (plain and TLS), HttpClient only for what it does not send
    /// (see <see cref="HttpLoadClient"/>).</summary>
    Http1,

    /// <summary>HttpClient over SocketsHttpHandler for every request, as before issue 14.</summary>
    HttpClient,
}
