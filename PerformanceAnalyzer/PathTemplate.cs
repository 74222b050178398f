using System.Text.RegularExpressions;
using PerfTools.Shared.Text;

namespace PerfTools.PerformanceAnalyzer;

/// <summary>Turns a concrete path into the label template reports group by, so <c>/boards/42</c> and
/// <c>/boards/43</c> land in one row (<c>GET /boards/{id}</c>) while <c>GET /boards</c> stays its own.</summary>
internal static partial class PathTemplate
{
    /// <summary><c>METHOD template</c>, the method upper-cased; control characters escaped, since labels are printed
    /// and written to every report.</summary>
    public static string Label(string method, string path) =>
        SafeText.Printable($"{method.ToUpperInvariant()} {Template(path)}");

    /// <summary>The path without its query, with id-like segments (digits, GUIDs, 32-hex) replaced by <c>{id}</c>.</summary>
    public static string Template(string path)
    {
        int query = path.IndexOfAny(['?', '#']);
        string bare = query >= 0 ? path[..query] : path;
        var segments = bare.Split('/');
        for (int i = 0; i < segments.Length; i++)
        {
            if (IdSegment().IsMatch(segments[i]))
            {
                segments[i] = "{id}";
            }
        }

        string joined = string.Join('/', segments);
        return joined.Length == 0 ? "/" : joined;
    }

    [GeneratedRegex(@"^(\d+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32})$")]
    private static partial Regex IdSegment();
}
