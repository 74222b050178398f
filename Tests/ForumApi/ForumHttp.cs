using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace PerfTools.Tests.ForumApi;

/// <summary>Small request helpers for the Forum API tests: raw JSON in, parsed JSON out.</summary>
internal static class ForumHttp
{
    public static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response)
    {
        var node = await response.Content.ReadFromJsonAsync<JsonNode>();
        return node ?? throw new InvalidOperationException("response body was JSON null");
    }

    public static async Task<long> CreateBoardAsync(HttpClient client, string name = "board", string description = "about")
    {
        var body = new JsonObject { ["name"] = name, ["description"] = description }.ToJsonString();
        using var response = await PostJsonAsync(client, "boards", body);
        response.EnsureSuccessStatusCode();
        return (long)(await ReadJsonAsync(response))["id"]!;
    }

    public static async Task<long> CreatePostAsync(HttpClient client, long boardId, string title = "title")
    {
        var body = new JsonObject { ["board_id"] = boardId, ["title"] = title, ["content"] = "text", ["author"] = "alice" }.ToJsonString();
        using var response = await PostJsonAsync(client, "posts", body);
        response.EnsureSuccessStatusCode();
        return (long)(await ReadJsonAsync(response))["id"]!;
    }

    public static async Task<long> CreateCommentAsync(HttpClient client, long postId, string content = "nice")
    {
        var body = new JsonObject { ["post_id"] = postId, ["content"] = content, ["author"] = "bob" }.ToJsonString();
        using var response = await PostJsonAsync(client, "comments", body);
        response.EnsureSuccessStatusCode();
        return (long)(await ReadJsonAsync(response))["id"]!;
    }

    public static async Task<List<MetricSample>> ScrapeAsync(HttpClient client) =>
        PrometheusText.Parse(await client.GetStringAsync("metrics"));
}
