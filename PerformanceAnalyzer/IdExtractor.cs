using System.Text.Json;

namespace PerfTools.PerformanceAnalyzer;

/// <summary>Reads resource ids out of Forum API answers, so the walk can follow what it created (or what exists).</summary>
/// <remarks>
/// APIs differ in whether they wrap payloads in <c>{"data": …}</c>, so both shapes are accepted. An id is a JSON
/// integer or a non-empty string; anything else (floats, booleans, objects, non-JSON text) yields null, never a guess.
/// </remarks>
internal static class IdExtractor
{
    /// <summary>The id of a created object: <c>{"id":…}</c> or <c>{"data":{"id":…}}</c>.</summary>
    public static string? FromObject(string? body) => Parse(body, root =>
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return IdOf(root) ?? (root.TryGetProperty("data", out var data) ? IdOf(data) : null);
    });

    /// <summary>The first id in a list: <c>[{"id":…}, …]</c> or <c>{"data":[{"id":…}, …]}</c>.</summary>
    public static string? FirstInList(string? body) => Parse(body, root =>
    {
        var list = root.ValueKind == JsonValueKind.Array ? root
            : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data) ? data
            : default;
        if (list.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var item in list.EnumerateArray())
        {
            if (IdOf(item) is { } id)
            {
                return id;
            }
        }

        return null;
    });

    private static string? Parse(string? body, Func<JsonElement, string?> read)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return read(document.RootElement);
        }
        catch (JsonException)
        {
            return null; // not JSON: the caller reports "no id", which is the truth
        }
    }

    private static string? IdOf(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("id", out var id))
        {
            return null;
        }

        return id.ValueKind switch
        {
            JsonValueKind.Number when id.TryGetInt64(out _) => id.GetRawText(),
            JsonValueKind.String when id.GetString() is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text) => text,
            _ => null,
        };
    }
}
