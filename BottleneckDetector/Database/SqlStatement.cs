using System.Globalization;
using System.Text;

namespace PerfTools.BottleneckDetector.Database;

/// <summary>The checks a statement passes before it is EXPLAINed, and the rewriting of its parameters for PostgreSQL's
/// <c>PREPARE</c>: only one read-only SELECT is ever sent, whatever pg_stat_statements or a trace holds.</summary>
internal static class SqlStatement
{
    // Words that make a statement write, lock a table or do more than read; FOR UPDATE and FOR NO KEY UPDATE only lock
    // rows when run, and EXPLAIN runs nothing, so UPDATE after FOR or KEY is let through.
    private static readonly HashSet<string> Writing = new(StringComparer.OrdinalIgnoreCase)
    {
        "INSERT", "UPDATE", "DELETE", "MERGE", "INTO", "TRUNCATE", "DROP", "ALTER", "CREATE", "GRANT", "REVOKE", "COPY",
        "CALL", "LOCK", "VACUUM", "REINDEX", "CLUSTER", "REFRESH", "COMMENT", "SECURITY", "IMPORT", "ATTACH", "DETACH", "PRAGMA",
    };

    /// <summary>Why the statement is not one read-only SELECT (or <c>WITH … SELECT</c>), or null when it is.</summary>
    public static string? RefuseReason(string sql)
    {
        var tokens = SqlTokens.Tokenize(sql);
        int last = tokens.Count - 1;
        while (last >= 0 && tokens[last].IsSymbol(";"))
        {
            last--;
        }

        if (last < 0)
        {
            return "empty";
        }

        SqlToken first = tokens.FirstOrDefault(t => !t.IsSymbol("("));
        if (!first.Is("SELECT") && !first.Is("WITH"))
        {
            return $"not a SELECT (starts with {first.Text.ToUpperInvariant()})";
        }

        for (int i = 0; i <= last; i++)
        {
            SqlToken t = tokens[i];
            if (t.IsSymbol(";"))
            {
                return "more than one statement";
            }

            if (t.Kind == SqlTokenKind.Word && !t.Text.StartsWith('"') && Writing.Contains(t.Text)
                && !(t.Is("UPDATE") && i > 0 && (tokens[i - 1].Is("FOR") || tokens[i - 1].Is("KEY"))))
            {
                return $"not read-only ({t.Text.ToUpperInvariant()})";
            }
        }

        return null;
    }

    /// <summary>The statement with its parameters as PostgreSQL's <c>$1</c>, <c>$2</c> …: named ones (<c>@post_id</c>,
    /// <c>:post_id</c>, the same name the same number) and <c>?</c> in order of appearance; <c>$n</c> kept as written.</summary>
    /// <param name="count">How many parameters <c>EXECUTE</c> must be given.</param>
    /// <returns>Null with <paramref name="reason"/> set when the styles are mixed.</returns>
    public static string? ToPositional(string sql, out int count, out string? reason)
    {
        count = 0;
        reason = null;
        var tokens = SqlTokens.Tokenize(sql).Where(t => t.Kind == SqlTokenKind.Parameter).ToList();
        bool dollar = tokens.Any(t => t.Text.Length > 1 && t.Text[0] == '$' && char.IsAsciiDigit(t.Text[1]));
        bool other = tokens.Any(t => !(t.Text.Length > 1 && t.Text[0] == '$' && char.IsAsciiDigit(t.Text[1])));
        if (dollar && other)
        {
            reason = "it mixes $n with named or ? parameters";
            return null;
        }

        if (tokens.Any(t => t.Text.Length > 6 && char.IsAsciiDigit(t.Text[1])))
        {
            reason = "a parameter number is out of range";
            return null;
        }

        if (dollar)
        {
            count = tokens.Select(t => int.Parse(t.Text[1..], CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
            return sql;
        }

        if (!other)
        {
            return sql;
        }

        // Rewritten from the tokens' places, so that a parameter-like run inside a string or comment stays.
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var text = new StringBuilder();
        int at = 0, next = 1;
        foreach (SqlToken token in SqlTokens.Tokenize(sql).Where(t => t.Kind == SqlTokenKind.Parameter))
        {
            int n;
            if (token.Text == "?")
            {
                n = next++;
            }
            else if (token.Text[0] == '?')
            {
                n = int.Parse(token.Text[1..], CultureInfo.InvariantCulture); // SQLite's ?NNN
                next = Math.Max(next, n + 1);
            }
            else if (!numbers.TryGetValue(token.Text[1..], out n))
            {
                n = next++;
                numbers[token.Text[1..]] = n;
            }

            count = Math.Max(count, n);
            text.Append(sql, at, token.Start - at).Append('$').Append(n.ToString(CultureInfo.InvariantCulture));
            at = token.Start + token.Text.Length;
        }

        text.Append(sql, at, sql.Length - at);
        return text.ToString();
    }

    /// <summary>The named parameters (<c>@p</c>, <c>:p</c>, <c>$p</c>) to bind NULL to on SQLite, each once.</summary>
    public static IReadOnlyList<string> NamedParameters(string sql) =>
        SqlTokens.Tokenize(sql)
            .Where(t => t.Kind == SqlTokenKind.Parameter && t.Text[0] is '@' or ':' or '$' && !char.IsAsciiDigit(t.Text[1]))
            .Select(t => t.Text)
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
