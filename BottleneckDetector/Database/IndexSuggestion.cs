using System.Text.RegularExpressions;

namespace PerfTools.BottleneckDetector.Database;

/// <summary>The index a sequentially scanned table lacks: the columns its condition compares with a constant or a
/// parameter, equality columns first (they narrow a B-tree from the left), then one range column; and the exact
/// <c>CREATE INDEX</c> for it.</summary>
internal sealed partial record IndexSuggestion(DatabaseKind Kind, string? Schema, string Table, IReadOnlyList<string> Columns)
{
    /// <summary>PostgreSQL's limit on a name (NAMEDATALEN − 1).</summary>
    private const int MaxName = 63;

    /// <summary><c>idx_comments_post_id</c>.</summary>
    public string Name
    {
        get
        {
            string name = Regex.Replace($"idx_{Table}_{string.Join("_", Columns)}".ToLowerInvariant(), "[^a-z0-9_]+", "_");
            return name.Length > MaxName ? name[..MaxName] : name;
        }
    }

    /// <summary>The table as SQL names it: <c>public.comments</c>, quoted where it must be.</summary>
    public string QualifiedTable => Schema is { Length: > 0 } schema ? $"{Quote(schema)}.{Quote(Table)}" : Quote(Table);

    /// <summary><c>(post_id, created_at)</c>.</summary>
    public string ColumnList => $"({string.Join(", ", Columns.Select(Quote))})";

    /// <summary>What to run: on PostgreSQL <c>CONCURRENTLY</c>, so that writes go on while it builds.</summary>
    public string CreateIndex => Kind == DatabaseKind.Postgres
        ? $"CREATE INDEX CONCURRENTLY {Name} ON {QualifiedTable} {ColumnList};"
        : $"CREATE INDEX {Name} ON {QualifiedTable} {ColumnList};";

    /// <summary>What hypopg is given: <c>CREATE INDEX ON public.comments (post_id)</c>.</summary>
    public string Hypothetical => $"CREATE INDEX ON {QualifiedTable} {ColumnList}";

    /// <summary>The columns a condition compares with constants or parameters, for one relation.</summary>
    /// <param name="condition">A plan's <c>Filter</c> (<c>((post_id = $1) AND (author = 'x'::text))</c>) or a WHERE clause.</param>
    /// <param name="names">The names the relation goes by in the condition (its table name and alias); a column qualified
    /// with another name belongs to another relation.</param>
    /// <param name="unqualifiedIsOurs">Whether an unqualified column belongs to this relation (a plan's Filter on one
    /// relation, or a statement reading one table).</param>
    /// <returns>Equality columns, then at most one range column; empty when the condition has a top-level OR or nothing usable.</returns>
    public static IReadOnlyList<string> ColumnsOf(IReadOnlyList<SqlToken> condition, IReadOnlySet<string> names, bool unqualifiedIsOurs)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(names);
        var equality = new List<string>();
        var range = new List<string>();
        var conjuncts = SplitAnd(StripParens(condition));
        if (conjuncts is null)
        {
            return [];
        }

        foreach (var conjunct in conjuncts)
        {
            var c = StripParens(conjunct);
            if (c.Count < 3 || c[0].Kind != SqlTokenKind.Word || IsKeyword(c[0]))
            {
                continue;
            }

            int at = 1;
            string? qualifier = null;
            string column = c[0].Name;
            if (c[1].IsSymbol(".") && c.Count > 3 && c[2].Kind == SqlTokenKind.Word)
            {
                qualifier = c[0].Name;
                column = c[2].Name;
                at = 3;
            }

            bool ours = qualifier is null ? unqualifiedIsOurs : names.Contains(qualifier);
            if (!ours || at >= c.Count)
            {
                continue;
            }

            SqlToken op = c[at];
            var rest = c.Skip(at + 1).ToList();
            bool? isEquality = op switch
            {
                _ when op.IsSymbol("=") || op.IsSymbol("==") => true,
                _ when op.Is("IN") => true,
                _ when op.Is("IS") && rest.Count == 1 && rest[0].Is("NULL") => true,
                _ when op.IsSymbol("<") || op.IsSymbol(">") || op.IsSymbol("<=") || op.IsSymbol(">=") || op.Is("BETWEEN") => false,
                _ => null, // <>, LIKE, ~~, IS NOT NULL, a cast of the column: no plain B-tree serves them
            };
            if (isEquality is not { } eq || !IsConstant(rest))
            {
                continue;
            }

            (eq ? equality : range).Add(column);
        }

        var columns = equality.Distinct(StringComparer.Ordinal).ToList();
        if (range.FirstOrDefault(r => !columns.Contains(r)) is { } first)
        {
            columns.Add(first);
        }

        return columns;
    }

    /// <summary>The condition without parentheses around the whole of it.</summary>
    public static IReadOnlyList<SqlToken> StripParens(IReadOnlyList<SqlToken> tokens)
    {
        var list = tokens.ToList();
        while (list.Count >= 2 && list[0].IsSymbol("(") && list[^1].IsSymbol(")") && Closing(list, 0) == list.Count - 1)
        {
            list = list[1..^1];
        }

        return list;
    }

    /// <summary>The index of the parenthesis closing the one at <paramref name="open"/>, or −1.</summary>
    public static int Closing(IReadOnlyList<SqlToken> tokens, int open)
    {
        int depth = 0;
        for (int i = open; i < tokens.Count; i++)
        {
            depth += tokens[i].IsSymbol("(") ? 1 : tokens[i].IsSymbol(")") ? -1 : 0;
            if (depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    // Reserved words a table or column is sometimes named after; quoted, they are names again.
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "all", "and", "any", "array", "as", "asc", "both", "case", "check", "column", "constraint", "create", "default", "desc",
        "distinct", "do", "else", "end", "false", "for", "foreign", "from", "grant", "group", "having", "in", "index", "into",
        "is", "join", "key", "limit", "not", "null", "offset", "on", "or", "order", "primary", "references", "select", "table",
        "then", "to", "true", "union", "unique", "user", "using", "values", "when", "where", "with",
    };

    private static string Quote(string name) =>
        PlainName().IsMatch(name) && !Reserved.Contains(name) ? name : "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The conjuncts of a top-level AND (BETWEEN's own AND kept inside it); null when there is a top-level OR.</summary>
    private static List<List<SqlToken>>? SplitAnd(IReadOnlyList<SqlToken> tokens)
    {
        var parts = new List<List<SqlToken>> { new() };
        int depth = 0;
        bool between = false;
        foreach (SqlToken t in tokens)
        {
            depth += t.IsSymbol("(") ? 1 : t.IsSymbol(")") ? -1 : 0;
            if (depth == 0 && t.Is("OR"))
            {
                return null;
            }

            if (depth == 0 && t.Is("BETWEEN"))
            {
                between = true;
            }
            else if (depth == 0 && t.Is("AND"))
            {
                if (between)
                {
                    between = false;
                }
                else
                {
                    parts.Add([]);
                    continue;
                }
            }

            parts[^1].Add(t);
        }

        return parts.Where(p => p.Count > 0).ToList();
    }

    /// <summary>Whether the right side holds no column: parameters, literals, casts to a type, ANY/ARRAY lists.</summary>
    private static bool IsConstant(IReadOnlyList<SqlToken> rest)
    {
        if (rest.Count == 0)
        {
            return false;
        }

        bool afterCast = false;
        foreach (SqlToken t in rest)
        {
            if (t.IsSymbol("::"))
            {
                afterCast = true;
                continue;
            }

            if (t.Kind == SqlTokenKind.Word)
            {
                // Type names follow a cast ("::timestamp without time zone"); a few keywords are values or list builders.
                if (afterCast || t.Is("NULL") || t.Is("TRUE") || t.Is("FALSE") || t.Is("ANY") || t.Is("ARRAY") || t.Is("AND")
                    || t.Is("CURRENT_DATE") || t.Is("CURRENT_TIMESTAMP"))
                {
                    continue;
                }

                return false;
            }

            afterCast = false;
            if (t.Kind == SqlTokenKind.Symbol && t.Text is not ("(" or ")" or "," or "-" or "+" or "[" or "]"))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsKeyword(SqlToken t) =>
        t.Is("NOT") || t.Is("EXISTS") || t.Is("CASE") || t.Is("NULL") || t.Is("TRUE") || t.Is("FALSE") || t.Is("SubPlan");

    public override string ToString() => $"{QualifiedTable} {ColumnList}";

    // A name that needs no quotes in PostgreSQL: lower case letters, digits, underscores, not starting with a digit.
    [GeneratedRegex("^[a-z_][a-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainName();
}
