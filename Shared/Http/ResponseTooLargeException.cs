using System.Globalization;

namespace PerfTools.Shared.Http;

/// <summary>An answer larger than the caller is willing to hold in memory; it was not read further.</summary>
public sealed class ResponseTooLargeException : Exception
{
    public ResponseTooLargeException(long limitBytes, long? declaredBytes)
        : base(declaredBytes is { } declared
            ? string.Create(CultureInfo.InvariantCulture, $"answer of {declared} bytes is larger than the {Describe(limitBytes)} limit; not read")
            : $"answer larger than the {Describe(limitBytes)} limit; not read further")
    {
        LimitBytes = limitBytes;
        DeclaredBytes = declaredBytes;
    }

    public long LimitBytes { get; }

    /// <summary>The <c>Content-Length</c> the server announced, when it did.</summary>
    public long? DeclaredBytes { get; }

    private static string Describe(long bytes) => bytes % (1024 * 1024) == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
}
