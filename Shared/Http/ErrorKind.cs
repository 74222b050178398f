namespace PerfTools.Shared.Http;

/// <summary>Why a request did not succeed; reports count errors by these kinds.</summary>
public enum ErrorKind
{
    None,
    /// <summary>No answer within the timeout.</summary>
    Timeout,
    /// <summary>The connection was refused (nothing listening).</summary>
    Refused,
    /// <summary>The connection was reset or closed mid-response.</summary>
    Reset,
    /// <summary>The host name did not resolve.</summary>
    Dns,
    /// <summary>The server answered 4xx.</summary>
    Http4xx,
    /// <summary>The server answered 5xx.</summary>
    Http5xx,
    /// <summary>The bytes on the wire were not valid HTTP (or TLS failed).</summary>
    Protocol,
    /// <summary>The body could not be parsed where a shape was expected.</summary>
    Parse,
    /// <summary>A redirect not followed: to another origin or past 5 hops.</summary>
    Redirect,
    /// <summary>The run was cancelled while the request was in flight.</summary>
    Canceled,
    /// <summary>Anything else; the message says what.</summary>
    Other,
}
