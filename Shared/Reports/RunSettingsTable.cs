using PerfTools.Shared.Cli;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Reports;

/// <summary>The settings a report page lists, in the order added, every value made safe to show in this one place:
/// secrets masked as on the console, then control characters escaped; of the request headers only the names.</summary>
/// <remarks>Masking comes first so a secret is found as it was given (a tab in a header value would no longer match
/// once escaped). <see cref="HtmlReport.AddSettings"/> renders it; the page then HTML-escapes every text.</remarks>
public sealed class RunSettingsTable
{
    private readonly Redactor _redactor;
    private readonly List<(string Key, string Value)> _rows = [];

    /// <param name="redactor">The run's masking: the secrets of its command line and environment.</param>
    public RunSettingsTable(Redactor redactor)
    {
        ArgumentNullException.ThrowIfNull(redactor);
        _redactor = redactor;
    }

    /// <summary>The rows as shown, in the order added.</summary>
    public IReadOnlyList<(string Key, string Value)> Rows => _rows;

    /// <summary>A row; <paramref name="value"/> is masked and escaped here, whatever it holds.</summary>
    public RunSettingsTable Add(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        _rows.Add((SafeText.Printable(key), SafeText.Printable(_redactor.Redact(value))));
        return this;
    }

    /// <summary>A URL row, its user info masked (<c>http://***@host/</c>).</summary>
    public RunSettingsTable Add(string key, Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Add(key, url.ToString());
    }

    /// <summary>A <c>headers</c> row with the names of the <c>--header</c>s sent, each once, when there are any. Names
    /// only: a value may be a credential, and the names say what was sent.</summary>
    public RunSettingsTable AddHeaderNames(IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var names = headers.Select(h => h.Key).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return names.Count == 0 ? this : Add("headers", string.Join(", ", names));
    }
}
