using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace PerfTools.BottleneckDetector.Database;

/// <summary>What missing_index reads from PostgreSQL's <c>EXPLAIN (FORMAT JSON)</c>: the plan's total cost, its
/// sequential scans with a <c>Filter</c>, and the indexes it uses.</summary>
/// <param name="TotalCost">The top node's Total Cost, in the planner's units.</param>
/// <param name="FilteredSeqScans">Seq Scan nodes (a Parallel Seq Scan is one with Parallel Aware) that carry a Filter.</param>
/// <param name="Indexes">Index Name of every Index Scan, Index Only Scan and Bitmap Index Scan.</param>
internal sealed record PostgresPlan(double TotalCost, IReadOnlyList<PlanScan> FilteredSeqScans, IReadOnlyList<string> Indexes)
{
    /// <exception cref="InvalidDataException">Not an EXPLAIN (FORMAT JSON) answer.</exception>
    public static PostgresPlan Parse(string json)
    {
        JToken root;
        try
        {
            root = JToken.Parse(json);
        }
        catch (JsonReaderException e)
        {
            throw new InvalidDataException($"not EXPLAIN (FORMAT JSON) output: {e.Message}", e);
        }

        // [ { "Plan": { … } } ]; a bare object too, as some clients unwrap it.
        var plan = (root is JArray { Count: > 0 } array ? array[0] : root)?["Plan"] as JObject
            ?? throw new InvalidDataException("not EXPLAIN (FORMAT JSON) output: no \"Plan\"");
        var scans = new List<PlanScan>();
        var indexes = new List<string>();
        Walk(plan, scans, indexes);
        return new PostgresPlan(Number(plan["Total Cost"]), scans, indexes);
    }

    private static void Walk(JObject node, List<PlanScan> scans, List<string> indexes)
    {
        string type = (string?)node["Node Type"] ?? "";
        if (type == "Seq Scan" && node["Filter"] is JValue { Type: JTokenType.String } filter && (string?)node["Relation Name"] is { } relation)
        {
            bool parallel = node["Parallel Aware"] is JValue { Type: JTokenType.Boolean } p && (bool)p;
            scans.Add(new PlanScan(
                parallel ? "Parallel Seq Scan" : "Seq Scan", relation, (string?)node["Schema"], (string?)node["Alias"], (string)filter!,
                Number(node["Total Cost"]), Number(node["Plan Rows"])));
        }

        if ((string?)node["Index Name"] is { } index)
        {
            indexes.Add(index);
        }

        foreach (var child in (node["Plans"] as JArray ?? []).OfType<JObject>())
        {
            Walk(child, scans, indexes);
        }
    }

    private static double Number(JToken? token) => token is JValue { Type: JTokenType.Float or JTokenType.Integer } v
        ? Convert.ToDouble(v.Value, CultureInfo.InvariantCulture)
        : 0;
}

/// <summary>One sequential scan of a plan.</summary>
/// <param name="NodeType"><c>Seq Scan</c> or <c>Parallel Seq Scan</c>.</param>
/// <param name="Schema">Only with EXPLAIN VERBOSE; null otherwise.</param>
/// <param name="Filter">The condition rows are filtered on: <c>(post_id = $1)</c>.</param>
/// <param name="PlanRows">The rows the planner expects the filter to keep.</param>
internal sealed record PlanScan(string NodeType, string Relation, string? Schema, string? Alias, string Filter, double Cost, double PlanRows);
