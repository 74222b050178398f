using System.Text;
using System.Text.Json;

namespace PerfTools.PerformanceAnalyzer;

/// <summary>Reads resource ids out of Forum API answers, so the walk can follow what it created (or what exists),
/// and says why an answer is not what a step needs (not JSON, truncated, the wrong shape, no id).</summary>
/// <remarks>
/// APIs differ in whether they wrap payloads in <c>{"data": …}</c>, so both shapes are accepted. An id is a JSON
/// integer or a non-empty string; anything else (floats, booleans, objects, non-JSON text) yields null, never a guess.
/// The body is read as a stream of tokens, so an answer cut at the load client's kept-body limit (pass
/// <c>complete: false</c>) still gives the ids in what was kept, and its syntax is checked as far as it goes.
/// </remarks>
internal static class IdExtractor
{
    private enum Role
    {
        Other,
        Root,
        Data,
        List,
        Item,
    }

    /// <summary>The id of a created object: <c>{"id":…}</c> or <c>{"data":{"id":…}}</c>.</summary>
    /// <param name="complete">False when <paramref name="body"/> is only the start of the answer.</param>
    public static string? FromObject(string? body, bool complete = true) => CheckObject(body, complete).Id;

    /// <summary>The first id in a list: <c>[{"id":…}, …]</c> or <c>{"data":[{"id":…}, …]}</c>.</summary>
    /// <param name="complete">False when <paramref name="body"/> is only the start of the answer.</param>
    public static string? FirstInList(string? body, bool complete = true) => CheckList(body, complete).Id;

    /// <summary>A created object's id, or why there is none (<c>not JSON</c>, <c>truncated JSON</c>, <c>JSON
    /// without an id</c>, …).</summary>
    public static (string? Id, string? Problem) CheckObject(string? body, bool complete)
    {
        (string? id, string? problem, bool rootIsObject, _) = Scan(body, wantList: false, complete);
        return problem is not null ? (null, problem)
            : !rootIsObject ? (null, "JSON but not an object")
            : id is null ? (null, complete ? "JSON without an id" : "no id in the part of the answer kept")
            : (id, null);
    }

    /// <summary>A list's first id (null for a list without ids, which is no problem), or why the answer is not a
    /// list at all.</summary>
    public static (string? Id, string? Problem) CheckList(string? body, bool complete)
    {
        (string? id, string? problem, bool rootIsObject, bool sawList) = Scan(body, wantList: true, complete);
        // An object whose "data" has not come yet in a cut answer may still hold the list.
        return problem is not null ? (null, problem)
            : sawList || (rootIsObject && !complete) ? (id, null)
            : (null, "JSON without a list ([…] or {\"data\":[…]})");
    }

    private static (string? Id, string? Problem, bool RootIsObject, bool SawList) Scan(string? body, bool wantList, bool complete)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, "empty body", false, false);
        }

        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(body), isFinalBlock: complete, state: default);
        var roles = new Stack<Role>();
        string? property = null; // the property the next value belongs to
        string? rootId = null, dataId = null, listId = null;
        bool rootIsObject = false, sawList = false, anyToken = false;
        try
        {
            while (reader.Read())
            {
                anyToken = true;
                Role parent = roles.Count > 0 ? roles.Peek() : Role.Other;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = reader.GetString();
                        continue;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        bool isArray = reader.TokenType == JsonTokenType.StartArray;
                        Role role = (roles.Count, parent, isArray) switch
                        {
                            (0, _, false) => Role.Root,
                            (0, _, true) when wantList => Role.List,
                            (_, Role.Root, false) when property == "data" && !wantList => Role.Data,
                            (_, Role.Root, true) when property == "data" && wantList => Role.List,
                            (_, Role.List, false) => Role.Item,
                            _ => Role.Other,
                        };
                        rootIsObject |= role == Role.Root;
                        sawList |= role == Role.List;
                        roles.Push(role);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        roles.Pop();
                        break;
                    default:
                        if (property == "id" && IdOf(ref reader) is { } id)
                        {
                            switch (parent)
                            {
                                case Role.Root: rootId ??= id; break;
                                case Role.Data: dataId ??= id; break;
                                case Role.Item: listId ??= id; break;
                            }
                        }

                        break;
                }

                property = null;
            }
        }
        catch (JsonException)
        {
            string problem = !anyToken ? "not JSON" : roles.Count > 0 ? "truncated or malformed JSON" : "malformed JSON";
            return (null, problem, rootIsObject, sawList);
        }

        return (wantList ? listId : rootId ?? dataId, null, rootIsObject, sawList);
    }

    private static string? IdOf(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out _) => Encoding.UTF8.GetString(reader.ValueSpan), // as sent
        JsonTokenType.String when reader.GetString() is { } text && !string.IsNullOrWhiteSpace(text) => text,
        _ => null,
    };
}
