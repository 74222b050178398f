using System.Buffers;
using System.Text;

namespace PerfTools.Shared.Http;

/// <summary>Reads a response body into memory up to a limit, so a huge or endless answer becomes a
/// <see cref="ResponseTooLargeException"/> instead of an <see cref="OutOfMemoryException"/>.</summary>
public static class BoundedBody
{
    /// <summary>32 MiB: far above what Prometheus or Jaeger send for one query of this toolkit, far below trouble.</summary>
    public const int DefaultMaxBytes = 32 * 1024 * 1024;

    private const int ReadBufferBytes = 16 * 1024;

    /// <summary>The body as text, decoded as <see cref="HttpContent.ReadAsStringAsync()"/> does (byte order mark,
    /// else the <c>charset</c>, else UTF-8).</summary>
    /// <exception cref="ResponseTooLargeException">The body is, or announces, more than <paramref name="maxBytes"/>.</exception>
    /// <exception cref="IOException">The connection broke while the body streamed in.</exception>
    public static async Task<string> ReadStringAsync(HttpContent content, int maxBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (content.Headers.ContentLength is { } declared && declared > maxBytes)
        {
            throw new ResponseTooLargeException(maxBytes, declared);
        }

        using var kept = new MemoryStream();
        Stream stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadBufferBytes);
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    if (kept.Length + read > maxBytes)
                    {
                        throw new ResponseTooLargeException(maxBytes, null);
                    }

                    kept.Write(buffer, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        kept.Position = 0;
        using var reader = new StreamReader(kept, EncodingOf(content), detectEncodingFromByteOrderMarks: true);
        return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
    }

    private static Encoding EncodingOf(HttpContent content)
    {
        string? charset = content.Headers.ContentType?.CharSet?.Trim('"', ' ');
        if (string.IsNullOrEmpty(charset))
        {
            return Encoding.UTF8;
        }

        try
        {
            return Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8; // an unknown charset: UTF-8 is what JSON is
        }
    }
}
