using PerfTools.Shared.Analysis;
using PerfTools.Shared.Cli;
using PerfTools.Shared.Comparison;
using PerfTools.Shared.Reports;
using PerfTools.Shared.Reports.Comparison;
using PerfTools.Shared.Reports.Simulation;


namespace PerfTools.Tests.Reports.Simulation;

/// <summary><c>simulation_report_*.html</c>: one row per measured scenario with the simulation JSON's figures, skipped
/// and interrupted scenarios said so, every chart embedded, a comparison section when there is one.</summary>
public sealed class SimulationHtmlTests
{
    [TestCase("en-US")]
    [TestCase("de-DE")]
    public void Build_TwoScenariosOneSkipped_RowWithJsonFiguresAndNotes(string culture)
    {
        using var scope = new CultureScope(culture);
        SimulationStats load = SimulationReportsTests.Sample();
        var content = new SimulationHtmlContent(
            new DateTimeOffset(2026, 11, 25, 13, 4, 5, TimeSpan.Zero),
            new RunSettingsTable(Redactor.None).Add("base URL", "http://127.0.0.1:8080/"),
            [],
            [
                new SimulationHtmlScenario("load", load, [1, 2, 3], "interrupted after 3.2 s"),
                new SimulationHtmlScenario("n_plus_1", null, null, "skipped: setup POST /boards failed: HTTP 404 Not Found"),
            ]);

        string html = SimulationHtml.Build(content).ToHtml();

        Assert.Multiple(() =>
        {
            // As the JSON writes them: 12.5 target, achieved 40/3.25 to 3 decimals, latencies µs as ms with 3 decimals.
            Assert.That(html, Does.Contain("<tr><td>load</td><td class=\"num\">12.5</td><td class=\"num\">12.308</td>"
                + "<td class=\"num\">40</td><td class=\"num\">37</td><td class=\"num\">3</td><td class=\"num\">4</td>"
                + "<td class=\"num\">1.234</td><td class=\"num\">250.500</td><td class=\"num\">260.000</td><td class=\"num\">261.001</td>"
                + "<td class=\"num\">1.000</td><td class=\"num\">9.000</td><td class=\"num\">9.999</td><td class=\"num\">10.500</td></tr>"));
            Assert.That(html, Does.Contain("<p>load: interrupted after 3.2 s</p>"));
            Assert.That(html, Does.Contain("<p>n_plus_1: skipped: setup POST /boards failed: HTTP 404 Not Found</p>"));
            Assert.That(html, Does.Contain("<tr><td>load</td><td>Timeout</td><td class=\"num\">1</td></tr>"));
            Assert.That(html, Does.Contain("data:image/png;base64,AQID"));
            Assert.That(html, Does.Contain("<h3>n_plus_1</h3>\n<p>Not measured.</p>"));
            // The routes as the JSON writes them, the one beside the figures said so.
            Assert.That(html, Does.Contain("<tr><td>load</td><td>GET /boards/{id}</td><td>yes</td><td class=\"num\">40</td>"
                + "<td class=\"num\">37</td><td class=\"num\">3</td><td class=\"num\">4</td>"
                + "<td class=\"num\">1.234</td><td class=\"num\">250.500</td><td class=\"num\">260.000</td><td class=\"num\">261.001</td>"
                + "<td class=\"num\">1.000</td><td class=\"num\">9.999</td><td>200×37, 503×2</td><td>Timeout×1, Http5xx×2</td></tr>"));
            Assert.That(html, Does.Contain("<tr><td>load</td><td>GET /slow</td><td>beside</td><td class=\"num\">64</td>"));
            Assert.That(html.IndexOf("<table id=\"routes\">", StringComparison.Ordinal),
                Is.GreaterThan(html.IndexOf("<table id=\"scenarios\">", StringComparison.Ordinal))
                    .And.LessThan(html.IndexOf("Errors by kind", StringComparison.Ordinal)));
        });
    }

    [TestCase(12L, true)]
    [TestCase(1L, false)]
    public void Build_GeneratorBehind_WarnsBeforeTheFigures(long lateOwn, bool warned)
    {
        SimulationStats load = SimulationReportsTests.Sample() with { Generator = new GeneratorLag(40, lateOwn, 1_500, false) };
        var content = new SimulationHtmlContent(DateTimeOffset.UnixEpoch, new RunSettingsTable(Redactor.None), [],
            [new SimulationHtmlScenario("load", load, null, null)]);

        string html = SimulationHtml.Build(content).ToHtml();

        int warning = html.IndexOf("load: WARNING: the load generator fell behind its schedule", StringComparison.Ordinal);
        Assert.That(warning, warned
            ? Is.GreaterThan(0).And.LessThan(html.IndexOf("<table id=\"scenarios\">", StringComparison.Ordinal))
            : Is.EqualTo(-1));
    }

    [Test]
    public void Build_OneRouteEach_NoRoutesTable()
    {
        // One headline route tells nothing the scenarios table does not: load, slow and memory add no rows.
        SimulationStats load = SimulationReportsTests.Sample() with { Routes = [SimulationReportsTests.SampleRoutes[0]] };
        var content = new SimulationHtmlContent(DateTimeOffset.UnixEpoch, new RunSettingsTable(Redactor.None), [],
            [new SimulationHtmlScenario("load", load, null, null)]);

        string html = SimulationHtml.Build(content).ToHtml();

        Assert.That(html, Does.Not.Contain("id=\"routes\""));
    }

    [Test]
    public void RouteRow_EveryRoute_OneCellPerHeader()
    {
        foreach (RouteStats route in SimulationReportsTests.SampleRoutes)
        {
            Assert.That(SimulationHtml.RouteRow("connection_pool", route), Has.Count.EqualTo(SimulationHtml.RouteHeaders.Count));
        }
    }

    [Test]
    public void Build_WithComparison_SectionAfterTheErrors()
    {
        SimulationStats load = SimulationReportsTests.Sample();
        (string, IReadOnlyList<(double, long)>)[] before = [("load", [(1.0, 10), (2.0, 10)])];
        (string, IReadOnlyList<(double, long)>)[] after = [("load", LatencyComparer.FromMicros(load.LatencyHistogram))];
        var comparison = RunComparison.Compare("reports/simulation_load_20261125_120000.json", before, after, 0.05, "scenario");
        var content = new SimulationHtmlContent(DateTimeOffset.UnixEpoch, new RunSettingsTable(Redactor.None), [], [new SimulationHtmlScenario("load", load, null, null)], comparison);

        string html = SimulationHtml.Build(content).ToHtml();

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("<table id=\"comparison\">"));
            Assert.That(html.IndexOf("<table id=\"comparison\">", StringComparison.Ordinal),
                Is.GreaterThan(html.IndexOf("Errors by kind", StringComparison.Ordinal)).And.LessThan(html.IndexOf("<h2>Charts</h2>", StringComparison.Ordinal)));
            Assert.That(html, Does.Contain("reports/simulation_load_20261125_120000.json"));
            Assert.That(html, Does.Contain("<td>slower</td>"));
        });
    }
}
