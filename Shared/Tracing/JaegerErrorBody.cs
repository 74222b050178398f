using Newtonsoft.Json;
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
        try
        {
            if (obj["errors"] is JArray { Count: > 0 } errors && errors[0] is JObject first)
            {
                error = new JaegerError((int?)first["code"] ?? 0, (string?)first["msg"] ?? "", "v1");
                return true;
            }

            if (obj["error"] is JObject v3)
            {
                error = new JaegerError((int?)v3["httpCode"] ?? 0, (string?)v3["message"] ?? "", "v3");
                return true;
            }
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException or JsonException)
        {
            return false;
        }

        return false;
    }
}
