using System.Text.RegularExpressions;

namespace PerfTools.Shared.Tracing;

/// <summary>Where a span keeps its SQL, and the text transforms used to group statements.</summary>
internal static partial class SqlText
{
    // OpenTelemetry semconv (db.query.text is the current name, db.statement the older one), then the
    // OpenTracing-era tags that real traces carry: HotROD's sql.query and the Java JDBC tracer's sql.
    private static readonly string[] StatementTags = ["db.query.text", "db.statement", "sql.query", "sql"];

    private static readonly string[] OperationTags = ["db.operation.name", "db.operation"];

    public static bool IsDbSpan(Span span) =>
        span.Tags.ContainsKey("db.system") || span.Tags.ContainsKey("db.system.name") || Statement(span) is not null;

    public static string? Statement(Span span)
    {
        foreach (var tag in StatementTags)
        {
            if (span.Tags.TryGetValue(tag, out var text) && !string.IsNullOrWhiteSpace(text))
            {
                return Collapse(text);
            }
        }

        return null;
    }

    /// <summary>The verb from db.operation(.name), else the statement's first keyword, uppercased; OTHER when neither.</summary>
    public static string Verb(Span span)
    {
        foreach (var tag in OperationTags)
        {
            if (span.Tags.TryGetValue(tag, out var op) && FirstWord(op) is { } word)
            {
                return word;
            }
        }

        return FirstWord(Statement(span)) ?? "OTHER";
    }

    public static string Collapse(string text) => WhitespaceRegex().Replace(text, " ").Trim();

    /// <summary>
    /// Literals become <c>?</c> and IN-lists <c>IN (?)</c>, so statements that differ only in their values group
    /// together (the idea of pg_stat_statements' query normalisation, much simplified).
    /// </summary>
    public static string Fingerprint(string statement)
    {
        var text = QuotedStringRegex().Replace(statement, "?");
        text = NumberRegex().Replace(text, "?");
        text = InListRegex().Replace(text, "IN (?)");
        return Collapse(text);
    }

    private static string? FirstWord(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var match = FirstWordRegex().Match(text);
        return match.Success ? match.Groups[1].Value.ToUpperInvariant() : null;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRegex();

    // SQL string literal; '' is an escaped quote inside it.
    [GeneratedRegex("'(?:[^']|'')*'")]
    private static partial Regex QuotedStringRegex();

    // A number not glued to an identifier (t1, col_2) or a qualified name.
    [GeneratedRegex(@"(?<![\w.$])-?\d+(?:\.\d+)?(?![\w.])")]
    private static partial Regex NumberRegex();

    [GeneratedRegex(@"\bIN\s*\(\s*\?(?:\s*,\s*\?)*\s*\)", RegexOptions.IgnoreCase)]
    private static partial Regex InListRegex();

    // Skips leading parentheses, e.g. "(SELECT …) UNION …".
    [GeneratedRegex(@"^[\s(]*([A-Za-z]+)")]
    private static partial Regex FirstWordRegex();
}
