using System.Text;

namespace PerfTools.BottleneckDetector.Database;

/// <summary>A SQL text split into words, literals, parameters and punctuation, with comments and whitespace dropped:
/// enough to tell a read-only SELECT, to number its parameters and to read a WHERE or a plan's Filter, without
/// mistaking what is inside a string or a comment for SQL.</summary>
/// <remarks>Covers what PostgreSQL and SQLite share plus their parameter styles: <c>'…'</c> strings (<c>''</c> inside,
/// <c>E'…'</c> with backslash escapes), <c>"…"</c> identifiers, <c>$tag$…$tag$</c> strings, <c>--</c> and <c>/* */</c>
/// comments, <c>$1</c>, <c>@name</c>, <c>:name</c>, <c>$name</c>, <c>?</c> and <c>?NNN</c> parameters, and <c>::</c> casts.</remarks>
internal static class SqlTokens
{
    public static IReadOnlyList<SqlToken> Tokenize(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var tokens = new List<SqlToken>();
        int i = 0;
        while (i < sql.Length)
        {
            char c = sql[i];
            int start = i;
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '-' && Next(sql, i) == '-')
            {
                while (i < sql.Length && sql[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '/' && Next(sql, i) == '*')
            {
                int end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
            }
            else if (c == '\'' || ((c is 'E' or 'e') && Next(sql, i) == '\'' && !WordBefore(sql, i)))
            {
                bool backslash = c != '\'';
                i = Quoted(sql, backslash ? i + 1 : i, '\'', backslash);
                tokens.Add(new SqlToken(SqlTokenKind.String, sql[start..i], start));
            }
            else if (c == '"')
            {
                i = Quoted(sql, i, '"', backslash: false);
                tokens.Add(new SqlToken(SqlTokenKind.Word, sql[start..i], start));
            }
            else if (c == '$' && DollarTag(sql, i) is { } tag)
            {
                int end = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + tag.Length;
                tokens.Add(new SqlToken(SqlTokenKind.String, sql[start..i], start));
            }
            else if (c == '$' && char.IsAsciiDigit(Next(sql, i)))
            {
                i = Span(sql, i + 1, char.IsAsciiDigit);
                tokens.Add(new SqlToken(SqlTokenKind.Parameter, sql[start..i], start));
            }
            else if (c is '@' or ':' or '$' && IsWordStart(Next(sql, i)) && !(c == ':' && (i > 0 && sql[i - 1] == ':')))
            {
                i = Span(sql, i + 1, IsWordPart);
                tokens.Add(new SqlToken(SqlTokenKind.Parameter, sql[start..i], start));
            }
            else if (c == '?' && Next(sql, i) is not ('|' or '&'))
            {
                i = Span(sql, i + 1, char.IsAsciiDigit);
                tokens.Add(new SqlToken(SqlTokenKind.Parameter, sql[start..i], start));
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Next(sql, i))))
            {
                i = Span(sql, i, ch => char.IsAsciiDigit(ch) || ch is '.' or 'e' or 'E');
                tokens.Add(new SqlToken(SqlTokenKind.Number, sql[start..i], start));
            }
            else if (IsWordStart(c))
            {
                i = Span(sql, i, IsWordPart);
                tokens.Add(new SqlToken(SqlTokenKind.Word, sql[start..i], start));
            }
            else
            {
                // Operators of two characters are one token: ::, <=, >=, <>, !=, ==, ||.
                string two = i + 1 < sql.Length ? sql.Substring(i, 2) : "";
                i += two is "::" or "<=" or ">=" or "<>" or "!=" or "==" or "||" ? 2 : 1;
                tokens.Add(new SqlToken(SqlTokenKind.Symbol, sql[start..i], start));
            }
        }

        return tokens;
    }

    /// <summary>The tokens as SQL again, one space apart: for a condition that the finding quotes.</summary>
    public static string Join(IEnumerable<SqlToken> tokens)
    {
        var text = new StringBuilder();
        foreach (SqlToken t in tokens)
        {
            if (text.Length > 0 && t.Text is not ("," or ")" or "." or "::") && text[^1] is not ('(' or '.'))
            {
                if (!(text.Length >= 2 && text[^1] == ':' && text[^2] == ':'))
                {
                    text.Append(' ');
                }
            }

            text.Append(t.Text);
        }

        return text.ToString();
    }

    private static char Next(string sql, int i) => i + 1 < sql.Length ? sql[i + 1] : '\0';

    private static bool WordBefore(string sql, int i) => i > 0 && IsWordPart(sql[i - 1]);

    private static bool IsWordStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsWordPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    private static int Span(string sql, int i, Func<char, bool> part)
    {
        while (i < sql.Length && part(sql[i]))
        {
            i++;
        }

        return i;
    }

    /// <summary>The end of a quoted run starting at <paramref name="i"/>; a doubled quote is one inside it.</summary>
    private static int Quoted(string sql, int i, char quote, bool backslash)
    {
        i++;
        while (i < sql.Length)
        {
            if (backslash && sql[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (sql[i] == quote)
            {
                if (Next(sql, i) == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return sql.Length;
    }

    /// <summary><c>$$</c> or <c>$tag$</c> opening a dollar-quoted string at <paramref name="i"/>, or null.</summary>
    private static string? DollarTag(string sql, int i)
    {
        int end = Span(sql, i + 1, ch => char.IsLetterOrDigit(ch) || ch == '_');
        bool tagged = end == i + 1 || IsWordStart(sql[i + 1]);
        return tagged && end < sql.Length && sql[end] == '$' ? sql[i..(end + 1)] : null;
    }
}

/// <summary>One token of <see cref="SqlTokens"/>.</summary>
/// <param name="Start">Where it begins in the text.</param>
internal readonly record struct SqlToken(SqlTokenKind Kind, string Text, int Start = 0)
{
    /// <summary>An unquoted word equal to <paramref name="keyword"/>, in any case.</summary>
    public bool Is(string keyword) => Kind == SqlTokenKind.Word && Text.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(string symbol) => Kind == SqlTokenKind.Symbol && Text == symbol;

    /// <summary>A word as a name: quotes taken off (and <c>""</c> inside made one), an unquoted word in lower case as
    /// PostgreSQL folds it.</summary>
    public string Name => Text.StartsWith('"') ? Text[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : Text.ToLowerInvariant();
}

internal enum SqlTokenKind
{
    Word,
    String,
    Number,
    Parameter,
    Symbol,
}
