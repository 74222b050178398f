using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ForumApi.Endpoints;

/// <summary>Reads a JSON request body by hand, so bad JSON gets our 400 error body and the raw text stays available.</summary>
internal static class JsonBody
{
    /// <returns>The value and raw text, or an error result to send back as is.</returns>
    public static async Task<(T? Value, string Raw, IResult? Error)> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        if (!request.HasJsonContentType())
            return (null, "", ApiResults.BadRequest("request body must be JSON (Content-Type: application/json)"));

        using var reader = new StreamReader(request.Body);
        var raw = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var value = JsonSerializer.Deserialize<T>(raw, options);
            return value is null
                ? (null, raw, ApiResults.BadRequest("request body must be a JSON object"))
                : (value, raw, null);
        }
        catch (JsonException ex)
        {
            // The path and line come from the parser and help the caller; the exception text itself stays out.
            var where = ex.Path is null ? "" : $" at {ex.Path}";
            return (null, raw, ApiResults.BadRequest($"invalid JSON{where}: expected an object with the documented fields"));
        }
    }
}
