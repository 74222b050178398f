using Newtonsoft.Json.Linq;
using PerfTools.BottleneckDetector.Database;
using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Analysis;

namespace PerfTools.Tests.BottleneckDetector.Database;

/// <summary>Plans as PostgreSQL 15 and SQLite 3.40 wrote them (recorded in <c>testdata/postgres/</c>), read into the
/// index missing_index suggests, and judged.</summary>
public class PlanReadingTests
{
    private static string Recorded(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "postgres", name));

    private static readonly StatementSample Statement = new(
        "SELECT id, post_id, content, author, created_at FROM comments WHERE post_id = $1 ORDER BY id", "pg_stat_statements", 3, 357.5);

    [Test]
    public void Parse_CountWithSeqScan_FindsTheFilteredScanAndTheCost()
    {
        var plan = PostgresPlan.Parse(Recorded("explain_count_seqscan.json"));

        Assert.That(plan.TotalCost, Is.EqualTo(4375.39));
        Assert.That(plan.FilteredSeqScans.Single(), Is.EqualTo(new PlanScan("Seq Scan", "comments", null, "comments", "(post_id = 7)", 4370.00, 2153)));
        Assert.That(plan.Indexes, Is.Empty);
    }

    [Test]
    public void ColumnsOf_GenericPlanFilter_CreateIndexOnPostId()
    {
        var scan = PostgresPlan.Parse(Recorded("explain_generic_list_seqscan.json")).FilteredSeqScans.Single();

        var columns = IndexSuggestion.ColumnsOf(SqlTokens.Tokenize(scan.Filter), new HashSet<string> { "comments" }, unqualifiedIsOurs: true);
        var index = new IndexSuggestion(DatabaseKind.Postgres, "public", scan.Relation, columns);

        Assert.That(scan.Filter, Is.EqualTo("(post_id = $1)"));
        Assert.That(index.CreateIndex, Is.EqualTo("CREATE INDEX CONCURRENTLY idx_comments_post_id ON public.comments (post_id);"));
        Assert.That(index.Hypothetical, Is.EqualTo("CREATE INDEX ON public.comments (post_id)"));
    }

    [Test]
    public void Parse_PlanWithTheHypotheticalIndex_NoSeqScanAndTheIndexUsed()
    {
        var plan = PostgresPlan.Parse(Recorded("explain_generic_list_hypopg.json"));

        Assert.That(plan.TotalCost, Is.EqualTo(2136.45));
        Assert.That(plan.FilteredSeqScans, Is.Empty, "a plan using an index: nothing to suggest");
        Assert.That(plan.Indexes, Is.EqualTo(new[] { "<13556>btree_comments_post_id" }));
    }

    [Test]
    public void EvaluatePlans_HypopgCutsTheCostByHalf_FindingSaysByHowMuch()
    {
        var before = PostgresPlan.Parse(Recorded("explain_generic_list_seqscan.json"));
        var after = PostgresPlan.Parse(Recorded("explain_generic_list_hypopg.json"));
        var explained = Explained(before.TotalCost, after.TotalCost);

        var f = MissingIndexRule.EvaluatePlans([explained], new DetectorThresholds(), hypopg: true).Single();

        Assert.Multiple(() =>
        {
            Assert.That(f.Rule, Is.EqualTo("missing_index"));
            Assert.That(f.Severity, Is.EqualTo(Severity.Warning));
            Assert.That(f.Target, Is.EqualTo("forum.public.comments"));
            Assert.That((f.Value, f.Unit, f.Threshold), Is.EqualTo((200_000.0, "rows", (double?)500)));
            Assert.That(f.Recommendation, Does.Contain("cuts the plan's cost from 4484.66 to 2136.45 (-52 %)"));
            Assert.That(f.Recommendation, Does.EndWith("create the index the plan lacks: CREATE INDEX CONCURRENTLY idx_comments_post_id ON public.comments (post_id);"));
            Assert.That(f.Evidence, Does.Contain("Seq Scan on comments, Filter (post_id = $1), ~200,000 rows, total cost 4484.66; hypothetical index CREATE INDEX ON public.comments (post_id): 2136.45 (-52 %)"));
            Assert.That(f.NextSteps, Has.None.Contains("install hypopg"));
        });
    }

    [Test]
    public void EvaluatePlans_HypotheticalIndexCutsLessThanHalf_NoFinding()
    {
        // Dexter's rule: an index that does not halve the cost is not worth suggesting.
        Assert.That(MissingIndexRule.EvaluatePlans([Explained(4484.66, 2300)], new DetectorThresholds(), hypopg: true), Is.Empty);
    }

    [Test]
    public void EvaluatePlans_WithoutHypopg_FindingSaysHowToCheckIt()
    {
        var f = MissingIndexRule.EvaluatePlans([Explained(4484.66, null)], new DetectorThresholds(), hypopg: false).Single();

        Assert.That(f.Recommendation, Does.Not.Contain("hypothetical"));
        Assert.That(f.NextSteps, Has.Some.Contains("CREATE EXTENSION hypopg"));
    }

    [Test]
    public void EvaluatePlans_SmallTable_NoFinding()
    {
        Assert.That(MissingIndexRule.EvaluatePlans([Explained(12, null) with { TableRows = 499 }], new DetectorThresholds(), hypopg: false), Is.Empty);
    }

    [Test]
    public void EvaluatePlans_TwoStatementsOneIndex_OneFinding()
    {
        var count = Explained(4375.39, null) with { Statement = new StatementSample("SELECT COUNT(*) FROM comments WHERE post_id = $1", "pg_stat_statements", 60, 4874.5) };

        var f = MissingIndexRule.EvaluatePlans([Explained(4484.66, null), count], new DetectorThresholds(), hypopg: false).Single();

        Assert.That(f.Recommendation, Does.StartWith("2 statements read all of forum.public.comments"));
        Assert.That(f.Evidence, Does.Contain("'SELECT COUNT(*) FROM comments WHERE post_id = $1'"), "the one with the most total time speaks for them");
        Assert.That(f.Evidence, Does.EndWith("; 1 more statement(s) with the same scan"));
    }

    [Test]
    public void FullScans_RecordedSqliteRows_ScanWithoutTheIndexOnly()
    {
        var rows = JObject.Parse(Recorded("sqlite_explain_query_plan.json"));
        IEnumerable<string> Details(string key) => rows[key]!.Select(r => (string)r[3]!);

        Assert.Multiple(() =>
        {
            Assert.That(SqliteQueryPlan.FullScans(Details("count_noindex")), Is.EqualTo(new[] { "comments" }));
            Assert.That(SqliteQueryPlan.FullScans(Details("list_noindex")), Is.EqualTo(new[] { "comments" }));
            Assert.That(SqliteQueryPlan.FullScans(Details("count_index")), Is.Empty);
            Assert.That(SqliteQueryPlan.FullScans(Details("list_index")), Is.Empty);
            Assert.That(SqliteQueryPlan.FullScans(["SCAN TABLE comments AS c", "SCAN CONSTANT ROW", "SCAN t USING COVERING INDEX i"]), Is.EqualTo(new[] { "comments" }));
        });
    }

    [Test]
    public void ColumnsOf_SqliteStatementWhere_EqualityFirstThenOneRange()
    {
        var tokens = SqlTokens.Tokenize("SELECT * FROM comments c WHERE c.created_at > @since AND c.post_id = @post_id AND author = ? ORDER BY id");

        var tables = SqlFrom.Tables(tokens);
        var columns = IndexSuggestion.ColumnsOf(SqlFrom.Where(tokens)!, new HashSet<string> { "comments", "c" }, unqualifiedIsOurs: tables.Count == 1);

        Assert.That(tables, Is.EqualTo(new[] { ("comments", (string?)"c") }));
        Assert.That(columns, Is.EqualTo(new[] { "post_id", "author", "created_at" }));
        Assert.That(new IndexSuggestion(DatabaseKind.Sqlite, null, "comments", columns).CreateIndex,
            Is.EqualTo("CREATE INDEX idx_comments_post_id_author_created_at ON comments (post_id, author, created_at);"));
    }

    [TestCase("((post_id = $1) AND (author = 'x'::text))", new[] { "post_id", "author" })]
    [TestCase("(post_id = ANY ('{1,2}'::bigint[]))", new[] { "post_id" })]
    [TestCase("((created_at >= '2026-01-01'::text) AND (board_id = $2))", new[] { "board_id", "created_at" })]
    [TestCase("((post_id = 7) OR (author = 'x'::text))", new string[0])] // OR: no one index
    [TestCase("(c.post_id = p.id)", new string[0])] // a join condition, not a constant
    [TestCase("((content)::text ~~ '%x%'::text)", new string[0])] // LIKE on a cast: no plain B-tree
    [TestCase("(deleted_at IS NULL)", new[] { "deleted_at" })]
    [TestCase("(\"Order\" = $1)", new[] { "Order" })]
    public void ColumnsOf_PlanFilters(string filter, string[] expected)
    {
        var columns = IndexSuggestion.ColumnsOf(SqlTokens.Tokenize(filter), new HashSet<string> { "comments", "c" }, unqualifiedIsOurs: true);

        Assert.That(columns, Is.EqualTo(expected));
    }

    [Test]
    public void CreateIndex_NamesThatNeedQuotes_AreQuoted()
    {
        var index = new IndexSuggestion(DatabaseKind.Postgres, "Sales", "order", ["Order", "user"]);

        Assert.That(index.CreateIndex, Is.EqualTo("CREATE INDEX CONCURRENTLY idx_order_order_user ON \"Sales\".\"order\" (\"Order\", \"user\");"));
    }

    [Test]
    public void Parse_NotAPlan_InvalidData()
    {
        Assert.Throws<InvalidDataException>(() => PostgresPlan.Parse("[{\"Plan\":"));
        Assert.Throws<InvalidDataException>(() => PostgresPlan.Parse("[{\"QUERY PLAN\": 1}]"));
    }

    private static ExplainedStatement Explained(double cost, double? hypothetical) => new(
        Statement, "generic plan (PREPARE, EXPLAIN EXECUTE with NULLs, plan_cache_mode = force_generic_plan)",
        new IndexSuggestion(DatabaseKind.Postgres, "public", "comments", ["post_id"]), "Seq Scan on comments, Filter (post_id = $1)",
        200_000, false, cost, hypothetical, "forum.public.comments");
}
