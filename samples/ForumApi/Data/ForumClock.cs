using System.Globalization;

namespace ForumApi.Data;

/// <summary>How created_at is written: UTC, ISO 8601 round-trip format, so it sorts and parses everywhere.</summary>
internal static class ForumClock
{
    public static string Timestamp(TimeProvider time) =>
        time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
