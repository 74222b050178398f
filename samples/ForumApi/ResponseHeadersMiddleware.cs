using System.Diagnostics;
using System.Globalization;

namespace ForumApi;

/// <summary>Adds X-Trace-ID, X-Request-ID and X-Response-Time-Ms to every response, so a client can join its numbers to server traces.</summary>
internal sealed class ResponseHeadersMiddleware(RequestDelegate next)
{
    public const string TraceIdHeader = "X-Trace-ID";
    public const string RequestIdHeader = "X-Request-ID";
    public const string ResponseTimeHeader = "X-Response-Time-Ms";

    public Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        // The ASP.NET Core activity has already adopted an incoming traceparent, so its trace id is the caller's.
        var traceId = Activity.Current?.TraceId.ToHexString() ?? ActivityTraceId.CreateRandom().ToHexString();
        var incoming = context.Request.Headers[RequestIdHeader].ToString();
        var requestId = IsSafeRequestId(incoming) ? incoming : Guid.NewGuid().ToString("N");

        // OnStarting: headers can no longer change once the body starts, and this also covers error replies.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers[TraceIdHeader] = traceId;
            headers[RequestIdHeader] = requestId;
            headers[ResponseTimeHeader] = Stopwatch.GetElapsedTime(started).TotalMilliseconds.ToString("F3", CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        return next(context);
    }

    /// <summary>Echo only short printable ids: a header value is copied into our reply and into logs.</summary>
    private static bool IsSafeRequestId(string value) =>
        value.Length is > 0 and <= 128 && value.All(ch => ch is > ' ' and < (char)127);
}
