namespace PerfTools.Tests.Http;

/// <summary>One request as <see cref="LoopbackServer"/> received it, kept so tests can check what was sent.</summary>
/// <param name="Target">The request target as sent, e.g. <c>/boards?page=2</c>.</param>
/// <param name="Headers">Header values by case-insensitive name; repeated headers joined with <c>", "</c>.</param>
public sealed record LoopbackRequest(
    string Method,
    string Target,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}
