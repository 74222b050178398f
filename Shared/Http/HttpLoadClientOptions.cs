namespace PerfTools.Shared.Http;

/// <summary>How <see cref="HttpLoadClient"/> connects: one set per run.</summary>
/// <param name="TimeoutSeconds">Per-request limit covering connect, headers and body.</param>
/// <param name="MaxConnections">Keep-alive connections per server; requests beyond it queue for one.</param>
/// <param name="Insecure">Accept any TLS certificate (self-signed test servers).</param>
public sealed record HttpLoadClientOptions(
    double TimeoutSeconds = 30,
    int MaxConnections = 1000,
    bool Insecure = false);
