namespace PerfTools.BottleneckDetector.Database;

/// <summary>The tables a SELECT reads (its top-level FROM, with their aliases) and its top-level WHERE condition: what
/// names a SQLite plan's <c>SCAN c</c> and which columns it filters on.</summary>
internal static class SqlFrom
{
    private static readonly HashSet<string> ClauseEnds = new(StringComparer.OrdinalIgnoreCase)
    {
        "WHERE", "GROUP", "ORDER", "LIMIT", "HAVING", "WINDOW", "UNION", "EXCEPT", "INTERSECT", "RETURNING", "OFFSET", "FETCH", "FOR",
    };

    private static readonly HashSet<string> JoinWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "NATURAL", "LATERAL", "ON", "USING",
    };

    /// <summary>Each table of the top-level FROM, names as the database folds them (lower case unless quoted).</summary>
    public static IReadOnlyList<(string Table, string? Alias)> Tables(IReadOnlyList<SqlToken> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var tables = new List<(string, string?)>();
        int from = TopLevel(tokens, "FROM");
        if (from < 0)
        {
            return tables;
        }

        bool expectTable = true, inCondition = false;
        for (int i = from + 1; i < tokens.Count; i++)
        {
            SqlToken t = tokens[i];
            if (t.IsSymbol("("))
            {
                // A subquery or a USING list: no table of ours in it.
                i = IndexSuggestion.Closing(tokens, i) is var close and >= 0 ? close : tokens.Count;
                expectTable = false;
                continue;
            }

            if (t.IsSymbol(";") || (t.Kind == SqlTokenKind.Word && !t.Text.StartsWith('"') && ClauseEnds.Contains(t.Text)))
            {
                break;
            }

            if (t.IsSymbol(",") || t.Is("JOIN"))
            {
                expectTable = true;
                inCondition = false;
                continue;
            }

            if (t.Is("ON") || t.Is("USING"))
            {
                inCondition = true;
                continue;
            }

            if (inCondition || !expectTable || t.Kind != SqlTokenKind.Word || (!t.Text.StartsWith('"') && JoinWords.Contains(t.Text)))
            {
                continue;
            }

            string table = t.Name;
            if (i + 2 < tokens.Count && tokens[i + 1].IsSymbol(".") && tokens[i + 2].Kind == SqlTokenKind.Word)
            {
                table = tokens[i + 2].Name; // schema.table: the plan names the table
                i += 2;
            }

            string? alias = null;
            int next = i + 1;
            if (next < tokens.Count && tokens[next].Is("AS"))
            {
                next++;
            }

            if (next < tokens.Count && tokens[next].Kind == SqlTokenKind.Word
                && (tokens[next].Text.StartsWith('"') || !(ClauseEnds.Contains(tokens[next].Text) || JoinWords.Contains(tokens[next].Text))))
            {
                alias = tokens[next].Name;
                i = next;
            }

            tables.Add((table, alias));
            expectTable = false;
        }

        return tables;
    }

    /// <summary>The top-level WHERE's condition, or null when there is none.</summary>
    public static IReadOnlyList<SqlToken>? Where(IReadOnlyList<SqlToken> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        int where = TopLevel(tokens, "WHERE");
        if (where < 0)
        {
            return null;
        }

        var condition = new List<SqlToken>();
        int depth = 0;
        for (int i = where + 1; i < tokens.Count; i++)
        {
            SqlToken t = tokens[i];
            depth += t.IsSymbol("(") ? 1 : t.IsSymbol(")") ? -1 : 0;
            if (depth == 0 && (t.IsSymbol(";") || (t.Kind == SqlTokenKind.Word && !t.Text.StartsWith('"') && ClauseEnds.Contains(t.Text))))
            {
                break;
            }

            condition.Add(t);
        }

        return condition.Count > 0 ? condition : null;
    }

    /// <summary>The index of the first <paramref name="keyword"/> outside parentheses, or −1.</summary>
    private static int TopLevel(IReadOnlyList<SqlToken> tokens, string keyword)
    {
        int depth = 0;
        for (int i = 0; i < tokens.Count; i++)
        {
            depth += tokens[i].IsSymbol("(") ? 1 : tokens[i].IsSymbol(")") ? -1 : 0;
            if (depth == 0 && tokens[i].Is(keyword))
            {
                return i;
            }
        }

        return -1;
    }
}
