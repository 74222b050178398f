using ForumApi.Data;
using ForumApi.Models;

namespace ForumApi;

/// <summary>Answers 503 with a JSON error when no database connection could be had in time (an exhausted pool, a
/// server gone), instead of a 500: the client may retry, and the load tools count it as what it is.</summary>
/// <remarks>Not logged per request: under bottleneck 5 there are hundreds, and the HTTP metrics (code 503) and
/// Npgsql's own timeout metric already count them.</remarks>
internal sealed class DatabaseUnavailableMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (DatabaseUnavailableException ex) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1"; // seconds
            await context.Response.WriteAsJsonAsync(new ErrorBody(ex.Message));
        }
    }
}
