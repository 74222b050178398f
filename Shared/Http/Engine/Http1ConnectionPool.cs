using System.Runtime.CompilerServices;

namespace PerfTools.Shared.Http.Engine;

/// <summary>Where a pool connects: scheme, host and port of a URL (its origin), and how.</summary>
/// <param name="ConnectHost">Host name or address literal to connect to (no IPv6 brackets).</param>
/// <param name="TlsHost">The URL's host as TLS checks the certificate against it and error messages name it.</param>
internal sealed record Http1Origin(bool IsTls, string ConnectHost, string TlsHost, int Port, bool Insecure)
{
    public static Http1Origin Of(Uri url, bool insecure) =>
        new(url.Scheme == Uri.UriSchemeHttps, url.DnsSafeHost, url.IdnHost, url.Port, insecure);
}

/// <summary>The keep-alive connections to one origin: at most <c>maxConnections</c> open at once, as
/// SocketsHttpHandler's <c>MaxConnectionsPerServer</c>; a request beyond that waits for one to be returned.</summary>
internal sealed class Http1ConnectionPool : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly Stack<Http1Connection> _idle = new();
    private bool _disposed;

    public Http1ConnectionPool(Http1Origin origin, int maxConnections)
    {
        Origin = origin;
        _slots = new SemaphoreSlim(maxConnections, maxConnections);
    }

    public Http1Origin Origin { get; }

    /// <summary>Waits for a slot, then hands out an idle connection, or null: the caller opens one in that slot
    /// and must <see cref="Return"/> (or <see cref="Release"/>) the slot either way.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Http1Connection?> RentAsync(CancellationToken ct)
    {
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        lock (_idle)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _idle.TryPop(out Http1Connection? connection) ? connection : null;
        }
    }

    /// <summary>Gives the slot back, keeping <paramref name="connection"/> for the next request when it is reusable,
    /// else closing it.</summary>
    public void Return(Http1Connection connection)
    {
        bool kept = false;
        if (connection.Reusable)
        {
            lock (_idle)
            {
                if (!_disposed)
                {
                    _idle.Push(connection);
                    kept = true;
                }
            }
        }

        if (!kept)
        {
            connection.Dispose();
        }

        _slots.Release();
    }

    /// <summary>Gives back a slot whose connection never opened (or was closed already).</summary>
    public void Release() => _slots.Release();

    public void Dispose()
    {
        lock (_idle)
        {
            _disposed = true;
            while (_idle.TryPop(out Http1Connection? connection))
            {
                connection.Dispose();
            }
        }
    }
}
