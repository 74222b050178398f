using PerfTools.Shared.Cli;
using PerfTools.Shared.Reports;

namespace PerfTools.Tests.Reports;

/// <summary>The settings a page lists: rows in order, every value masked and escaped in the one place, headers by name
/// only; <see cref="HtmlReport"/> renders them as a definition list.</summary>
public sealed class RunSettingsTableTests
{
    private const string Token = "tok-SECRET-4f1e";

    [Test]
    public void Add_SecretsAnywhereInAValue_MaskedAsOnTheConsole()
    {
        var table = new RunSettingsTable(Redactor.ForCommandLine(["--header", $"Authorization: Bearer {Token}"]))
            .Add("base URL", new Uri("http://alice:pw-123456@h.example/api"))
            .Add("baseline", $"reports/{Token}/performance_data_1.json")
            .Add("query", "http://h/x?api_key=k-9");

        Assert.That(table.Rows, Is.EqualTo(new[]
        {
            ("base URL", "http://***@h.example/api"),
            ("baseline", "reports/***/performance_data_1.json"),
            ("query", "http://h/x?api_key=***"),
        }));
    }

    [Test]
    public void Add_ControlCharactersInKeyOrValue_Escaped()
    {
        var table = new RunSettingsTable(Redactor.None).Add("measured\n", "GET /a\u001b[31m\r\nb\u202E");

        Assert.That(table.Rows.Single(), Is.EqualTo(("measured\\x0A", "GET /a\\x1B[31m\\x0D\\x0Ab\\u202E")));
    }

    [Test]
    public void Add_SecretWithATab_MaskedBeforeItIsEscaped()
    {
        var table = new RunSettingsTable(new Redactor(["se\tcret-77"])).Add("note", "was se\tcret-77");

        Assert.That(table.Rows.Single().Value, Is.EqualTo("was ***"));
    }

    [Test]
    public void AddHeaderNames_Headers_NamesOnceEachNeverValues()
    {
        KeyValuePair<string, string>[] headers =
            [new("Authorization", $"Bearer {Token}"), new("X-Trace", "abc"), new("authorization", "Basic eA==")];

        var table = new RunSettingsTable(Redactor.None).AddHeaderNames(headers).AddHeaderNames([]);

        Assert.Multiple(() =>
        {
            Assert.That(table.Rows, Is.EqualTo(new[] { ("headers", "Authorization, X-Trace") }), "no row for no headers");
            Assert.That(table.Rows.Single().Value, Does.Not.Contain(Token).And.Not.Contain("abc"));
        });
    }

    [Test]
    public void ForRun_SettingsAndStatus_TitleSettingsSectionThenVerdicts()
    {
        var settings = new RunSettingsTable(Redactor.None).Add("b <url>", "http://x/?a=1&b=2").Add("a", "1");

        string html = HtmlReport.ForRun("Simulation report", new DateTimeOffset(2026, 11, 25, 13, 4, 5, TimeSpan.Zero), settings,
            ["interrupted: stopped sending"]).ToHtml();

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("<title>Simulation report 2026-11-25 13:04:05</title>"));
            Assert.That(html, Does.Contain("<section>\n<h2>Settings</h2>\n<dl class=\"kv\">\n"
                + "<dt>b &lt;url&gt;</dt><dd>http://x/?a=1&amp;b=2</dd>\n<dt>a</dt><dd>1</dd>\n</dl>\n"
                + "<p><span class=\"verdict bad\">interrupted: stopped sending</span></p>\n"));
        });
    }
}
