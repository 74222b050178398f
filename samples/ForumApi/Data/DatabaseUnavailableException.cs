namespace ForumApi.Data;

/// <summary>No database connection could be had in time (pool exhausted, server down): answered 503, not 500.</summary>
/// <param name="reason">One sentence for the JSON error body; never a connection string or a password.</param>
internal sealed class DatabaseUnavailableException(string reason, Exception inner) : Exception(reason, inner);
