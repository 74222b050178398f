using PerfTools.Shared.Reports;

namespace PerfTools.Tests.Reports;

[TestFixture]
public class HtmlReportTests
{
    [Test]
    public void ToHtml_TextWithMarkup_EscapedEverywhere()
    {
        var report = new HtmlReport("<title> & \"quotes\"")
            .AddHeading("GET /boards?<script>")
            .AddParagraph("a <b>bold</b> claim")
            .AddKeyValues([("base <url>", "http://x/?a=1&b=2")])
            .AddTable(["endpoint", "p50"], [["<img src=x onerror=alert(1)>", "1.5"]], caption: "<c>", id: "t\"1")
            .AddPreformatted("</pre><script>")
            .AddVerdict("<faster>", "good");

        string html = report.ToHtml();

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Not.Contain("<script"));
            Assert.That(html, Does.Not.Contain("<img src=x"));
            Assert.That(html, Does.Not.Contain("<b>bold"));
            Assert.That(html, Does.Contain("&lt;img src=x onerror=alert(1)&gt;"));
            Assert.That(html, Does.Contain("http://x/?a=1&amp;b=2"));
            Assert.That(html, Does.Contain("id=\"t&quot;1\""));
            Assert.That(html, Does.Contain("&lt;faster&gt;"));
        });
    }

    [Test]
    public void AddTable_NumericCells_RightAlignedTextCellsNot()
    {
        string html = new HtmlReport("t").AddTable(["a", "b", "c", "d"], [["GET /x", "12.345", "-3.1%", "n/a"]]).ToHtml();

        Assert.That(html, Does.Contain("<td>GET /x</td><td class=\"num\">12.345</td><td class=\"num\">-3.1%</td><td>n/a</td>"));
    }

    [Test]
    public void ToHtml_AnyReport_NoScriptNoExternalReferenceOneDocument()
    {
        string html = new HtmlReport("t").AddHeading("one").AddImage([1, 2, 3], "chart").AddHeading("two").ToHtml();

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.StartWith("<!DOCTYPE html>"));
            Assert.That(html, Does.Contain("src=\"data:image/png;base64,AQID\""));
            Assert.That(html, Does.Not.Contain("<script").And.Not.Contain("http://").And.Not.Contain("https://"));
            Assert.That(html, Does.Contain("@media print"));
            Assert.That(System.Text.RegularExpressions.Regex.Matches(html, "<section>").Count, Is.EqualTo(2));
            Assert.That(System.Text.RegularExpressions.Regex.Matches(html, "</section>").Count, Is.EqualTo(2));
        });
    }

    [Test]
    public void AddVerdict_UnknownKind_Throws()
    {
        Assert.That(() => new HtmlReport("t").AddVerdict("x", "green"), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void WriteFile_Path_WholeFileUtf8WithoutBom()
    {
        string folder = Path.Combine(Path.GetTempPath(), "html-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = Path.Combine(folder, "r.html");
            new HtmlReport("café").WriteFile(path);
            byte[] bytes = File.ReadAllBytes(path);

            Assert.That(bytes.Take(3), Is.Not.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
            Assert.That(System.Text.Encoding.UTF8.GetString(bytes), Does.Contain("<title>café</title>").And.EndWith("</html>\n"));
            Assert.That(Directory.GetFiles(folder), Has.Length.EqualTo(1), "no temporary file left");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
