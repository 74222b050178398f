using System.Globalization;
using System.Text;

namespace PerfTools.Shared.Reports;

/// <summary>Builds one self-contained HTML report: inline style, images as <c>data:</c> URIs, no script and no
/// network fetch, readable on screen, without JavaScript, and on paper.</summary>
/// <remarks>Every text given is HTML-escaped, so a label or a server's message cannot inject markup. Parts are added in
/// reading order; <see cref="ToHtml"/> renders the page.</remarks>
public sealed class HtmlReport
{
    // Print: no backgrounds needed to read it, tables not split mid-row, images fit the page.
    private const string Style = """
        :root { color-scheme: light; }
        body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 72em;
               padding: 0 1em; color: #1a1a1a; background: #fff; line-height: 1.4; }
        h1 { font-size: 1.6em; border-bottom: 2px solid #333; padding-bottom: .2em; }
        h2 { font-size: 1.3em; margin-top: 1.6em; border-bottom: 1px solid #bbb; }
        h3 { font-size: 1.1em; }
        section { margin-bottom: 1.5em; }
        table { border-collapse: collapse; margin: .6em 0; font-size: .92em; }
        caption { text-align: left; font-weight: bold; padding: .3em 0; }
        th, td { border: 1px solid #999; padding: .25em .6em; vertical-align: top; }
        th { background: #eee; text-align: left; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        dl.kv { display: grid; grid-template-columns: max-content auto; gap: .15em 1em; }
        dl.kv dt { font-weight: bold; }
        dl.kv dd { margin: 0; overflow-wrap: anywhere; }
        img { max-width: 100%; height: auto; border: 1px solid #ccc; }
        pre { background: #f6f6f6; border: 1px solid #ddd; padding: .6em; white-space: pre-wrap; overflow-wrap: anywhere; }
        .verdict { font-weight: bold; padding: 0 .3em; border-radius: 3px; }
        .verdict.good { color: #0a5d1e; background: #d9f2df; }
        .verdict.bad { color: #8a1111; background: #f8dada; }
        .verdict.neutral { color: #333; background: #e8e8e8; }
        footer { margin-top: 2em; color: #555; font-size: .85em; }
        @media print {
          body { margin: 0; max-width: none; font-size: 10pt; }
          h2 { break-after: avoid; }
          table, img, pre { break-inside: avoid; }
          tr { break-inside: avoid; }
          .verdict { border: 1px solid currentColor; }
        }
        """;

    private readonly string _title;
    private readonly StringBuilder _body = new();
    private bool _sectionOpen;

    public HtmlReport(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        _title = title;
    }

    /// <summary>A load run's page: titled with <paramref name="title"/> and when the run started (its clock time as
    /// given), opening with a "Settings" section of <paramref name="settings"/> and, when the run did not simply
    /// finish, a line each on how it ended (<paramref name="status"/>: interrupted, unreachable …).</summary>
    public static HtmlReport ForRun(string title, DateTimeOffset runAt, RunSettingsTable settings, IEnumerable<string> status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var page = new HtmlReport(string.Create(CultureInfo.InvariantCulture, $"{title} {runAt:yyyy-MM-dd HH:mm:ss}"));
        page.AddHeading("Settings");
        page.AddSettings(settings);
        foreach (string line in status)
        {
            page.AddVerdict(line, "bad");
        }

        return page;
    }

    /// <summary>Starts a new section with a heading (level 2), or adds a sub-heading (level 3 or more) to the current one.</summary>
    public HtmlReport AddHeading(string text, int level = 2)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 6);
        if (level == 2)
        {
            CloseSection();
            _body.Append("<section>\n");
            _sectionOpen = true;
        }

        _body.Append(CultureInfo.InvariantCulture, $"<h{level}>{Escape(text)}</h{level}>\n");
        return this;
    }

    public HtmlReport AddParagraph(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _body.Append("<p>").Append(Escape(text)).Append("</p>\n");
        return this;
    }

    /// <summary>A definition list of settings or facts: key on the left, value on the right.</summary>
    public HtmlReport AddKeyValues(IEnumerable<(string Key, string Value)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _body.Append("<dl class=\"kv\">\n");
        foreach ((string key, string value) in rows)
        {
            _body.Append("<dt>").Append(Escape(key)).Append("</dt><dd>").Append(Escape(value)).Append("</dd>\n");
        }

        _body.Append("</dl>\n");
        return this;
    }

    /// <summary>A run's settings as a definition list, their values already masked and escaped by the table.</summary>
    public HtmlReport AddSettings(RunSettingsTable settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return AddKeyValues(settings.Rows);
    }

    /// <summary>A table of text cells; a cell that reads as a number (<c>12.345</c>, <c>-3.1%</c>, <c>+0.5</c>) is
    /// right-aligned. <paramref name="id"/> lets a reader (or a test) find the table.</summary>
    public HtmlReport AddTable(
        IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string? caption = null, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        _body.Append("<table");
        if (id is not null)
        {
            _body.Append(" id=\"").Append(Escape(id)).Append('"');
        }

        _body.Append(">\n");
        if (caption is not null)
        {
            _body.Append("<caption>").Append(Escape(caption)).Append("</caption>\n");
        }

        _body.Append("<thead><tr>");
        foreach (string header in headers)
        {
            _body.Append("<th scope=\"col\">").Append(Escape(header)).Append("</th>");
        }

        _body.Append("</tr></thead>\n<tbody>\n");
        foreach (IReadOnlyList<string> row in rows)
        {
            _body.Append("<tr>");
            foreach (string cell in row)
            {
                _body.Append(IsNumeric(cell) ? "<td class=\"num\">" : "<td>").Append(Escape(cell)).Append("</td>");
            }

            _body.Append("</tr>\n");
        }

        _body.Append("</tbody>\n</table>\n");
        return this;
    }

    /// <summary>A PNG embedded as a <c>data:</c> URI, so the file needs nothing beside it.</summary>
    public HtmlReport AddImage(byte[] png, string alt)
    {
        ArgumentNullException.ThrowIfNull(png);
        ArgumentNullException.ThrowIfNull(alt);
        _body.Append("<figure><img alt=\"").Append(Escape(alt)).Append("\" src=\"data:image/png;base64,")
            .Append(Convert.ToBase64String(png)).Append("\"></figure>\n");
        return this;
    }

    /// <summary>Text shown as printed (a console section, a trace breakdown), wrapped on narrow pages.</summary>
    public HtmlReport AddPreformatted(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _body.Append("<pre>").Append(Escape(text)).Append("</pre>\n");
        return this;
    }

    /// <summary>A verdict in words, coloured by <paramref name="kind"/> (<c>good</c>, <c>bad</c> or <c>neutral</c>); the
    /// word carries the meaning, so it survives a black-and-white print.</summary>
    public HtmlReport AddVerdict(string text, string kind)
    {
        ArgumentNullException.ThrowIfNull(text);
        _body.Append("<p><span class=\"verdict ").Append(VerdictClass(kind)).Append("\">")
            .Append(Escape(text)).Append("</span></p>\n");
        return this;
    }

    /// <summary>The markup of a verdict for use inside other text; kinds as <see cref="AddVerdict"/>.</summary>
    public static string VerdictClass(string kind) => kind switch
    {
        "good" or "bad" or "neutral" => kind,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "must be good, bad or neutral"),
    };

    public string ToHtml()
    {
        var html = new StringBuilder(_body.Length + Style.Length + 512);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            // No fetch of any kind: the page is one file, opened from disk or an attachment.
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n")
            .Append("<title>").Append(Escape(_title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(Escape(_title)).Append("</h1>\n")
            .Append(_body);
        if (_sectionOpen)
        {
            html.Append("</section>\n");
        }

        html.Append("<footer>Written by PerfTools. This page is self-contained: no scripts, no network requests.</footer>\n")
            .Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Writes the page whole or not at all (temporary name, then rename), UTF-8 without BOM.</summary>
    public void WriteFile(string path)
    {
        string html = ToHtml();
        AtomicFile.Write(path, stream =>
        {
            byte[] bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(html);
            stream.Write(bytes);
        });
    }

    /// <summary>HTML-escapes text for element content and attribute values (quotes included); other characters stay
    /// as they are, since the page is UTF-8.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            _ = c switch
            {
                '&' => escaped.Append("&amp;"),
                '<' => escaped.Append("&lt;"),
                '>' => escaped.Append("&gt;"),
                '"' => escaped.Append("&quot;"),
                '\'' => escaped.Append("&#39;"),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }

    private void CloseSection()
    {
        if (_sectionOpen)
        {
            _body.Append("</section>\n");
            _sectionOpen = false;
        }
    }

    private static bool IsNumeric(string cell)
    {
        ReadOnlySpan<char> text = cell.AsSpan().Trim();
        if (text.EndsWith("%"))
        {
            text = text[..^1];
        }

        return text.Length > 0 && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
    }
}
