namespace PerfTools.BottleneckDetector.Rules;

/// <summary>The <c>./performance_analyzer</c> command that measures one route of the target, written so that it runs as
/// printed: the base URL from the instance Prometheus scrapes when that is one, else a placeholder the same text explains.</summary>
public static class AnalyzerCommand
{
    /// <summary>Stands for the target's base URL when the metrics do not name exactly one instance.</summary>
    public const string BaseUrlPlaceholder = "BASE_URL";

    /// <summary><c>./performance_analyzer --base-url http://127.0.0.1:5000 --endpoint '/boards/{id}/posts' --iterations 50</c>
    /// followed by what to put in place of its placeholders; null when <paramref name="target"/> is not a route
    /// (<c>(service)</c>, <c>(no route)</c>, a view name).</summary>
    /// <param name="target">A finding's target: a route (<c>/boards/{id}</c>, <c>api/orders</c>) or method and route (<c>GET /boards</c>).</param>
    public static string? For(string target, TargetFacts facts)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(facts);
        // Targets are "GET /boards/{id}" (method and route) or a bare route; ASP.NET Core templates may lack the leading slash.
        string[] parts = target.Trim().Split(' ', 2, StringSplitOptions.TrimEntries);
        bool hasMethod = parts.Length == 2 && parts[0].Length > 0 && parts[0].All(char.IsAsciiLetterUpper);
        string route = hasMethod ? parts[1] : target.Trim();
        if (route.Length == 0 || route.Any(char.IsWhiteSpace) || route.StartsWith('(') || !route.Contains('/'))
        {
            return null;
        }

        string path = route.StartsWith('/') ? route : "/" + route;
        string method = hasMethod && parts[0] != "GET" ? $" --method {parts[0]}" : "";
        string baseUrl = facts.BaseUrl ?? BaseUrlPlaceholder;
        var notes = new List<string>();
        if (path.Contains('{', StringComparison.Ordinal))
        {
            notes.Add("put real ids in place of the {…} parts");
        }

        if (hasMethod && parts[0] is "POST" or "PUT" or "PATCH")
        {
            notes.Add("add --data @FILE, FILE holding a body it accepts");
        }

        if (facts.BaseUrl is null)
        {
            notes.Add(facts.BaseUrls.Count > 1
                ? $"{BaseUrlPlaceholder}: where the API listens; Prometheus scrapes it at {string.Join(", ", facts.BaseUrls)}"
                : $"{BaseUrlPlaceholder}: where the API listens, e.g. http://localhost:8080; the metrics do not say");
        }

        string command = $"./performance_analyzer --base-url {baseUrl} --endpoint {ShellWord(path)}{method} --iterations 50";
        return notes.Count == 0 ? command : $"{command} ({string.Join("; ", notes)})";
    }

    /// <summary>One shell word whatever the route holds: single quotes, each quote inside written as <c>'\''</c>.</summary>
    private static string ShellWord(string text) => "'" + text.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
}
