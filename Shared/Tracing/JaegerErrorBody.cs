using Newtonsoft.Json.Linq;

namespace PerfTools.Shared.Tracing;

/// <summary>
/// Recognises Jaeger's JSON error bodies: v1 <c>{"data":null,"errors":[{"code":404,"msg":"trace not found"}]}</c>
/// (sent as text/plain) and v3 <c>{"error":{"httpCode":404,"message":"No traces found"}}</c>.
/// </summary>
public static class JaegerErrorBody
{
    /// <summary>True when <paramref name="body"/> is one of Jaeger's error bodies; never throws.</summary>
    public static bool TryParse(string? body, out JaegerError error)
    {
        error = new JaegerError(0, "", "");
        if (string.IsNullOrWhiteSpace(body))
        {
            return false;
        }

        try
        {
            return TraceIds.Load(body, "Jaeger error") is JObject obj && TryParse(obj, out error);
        }
        catch (TraceParseException)
        {
            return false;
        }
    }

    internal static bool TryParse(JObject obj, out JaegerError error)
    {
        error = new JaegerError(0, "", "");
        if (obj["errors"] is JArray { Count: > 0 } errors && errors[0] is JObject first)
        {
            error = new JaegerError(Code(first["code"]), Text(first["msg"]), "v1");
            return true;
        }

        if (obj["error"] is JObject v3)
        {
            error = new JaegerError(Code(v3["httpCode"]), Text(v3["message"]), "v3");
            return true;
        }

        return false;
    }

    // A code or message of another JSON type is read as absent: the body is still Jaeger's error, only less informative.
    private static int Code(JToken? token) =>
        token is JValue { Type: JTokenType.Integer, Value: long code } && code is >= int.MinValue and <= int.MaxValue ? (int)code : 0;

    private static string Text(JToken? token) => token is JValue { Type: JTokenType.String, Value: string text } ? text : "";
}
