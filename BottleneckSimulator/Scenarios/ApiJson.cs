using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace PerfTools.BottleneckSimulator.Scenarios;

/// <summary>The little JSON the scenarios' setups write to the target and read back from it: request bodies, the id
/// of a created object, the items of a list. Lenient on purpose: an answer of another shape is "no id" or "no items",
/// which the scenario reports as a failed setup.</summary>
internal static class ApiJson
{
    public static byte[] Body(object value) => Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(value));

    /// <summary>The created object's id, bare (<c>{"id":1}</c>) or wrapped (<c>{"data":{"id":1}}</c>).</summary>
    public static string? IdOf(string? body) =>
        Parse(body) is JObject root ? IdOf(root["id"] ?? (root["data"] as JObject)?["id"]) : null;

    /// <summary>The objects of a list answer, wrapped (<c>{"data":[…]}</c>, the sample's) or bare (<c>[…]</c>).</summary>
    public static IReadOnlyList<JObject> Items(string? body) =>
        (Parse(body) switch
        {
            JObject root => root["data"] as JArray,
            JArray array => array,
            _ => null,
        })?.OfType<JObject>().ToList() ?? [];

    /// <summary>An integer id as text, or null for anything else.</summary>
    public static string? IdOf(JToken? id) => id is { Type: JTokenType.Integer } ? id.ToString() : null;

    private static JToken? Parse(string? body)
    {
        try
        {
            return body is null ? null : JToken.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
