using System.Text;

namespace PerfTools.Tests.Reports;

/// <summary>Feeds a damaged report to its reader and checks the one error every reader gives: an InvalidDataException on one line naming the report.</summary>
internal static class DamagedReport
{
    public static InvalidDataException Read(string text, Action<Stream> read, string report)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var e = Assert.Throws<InvalidDataException>(() => read(stream))!;
        Assert.That(e.Message, Does.StartWith(report + ": ").And.Not.Contain("\n").And.Not.Contain("\r"));
        return e;
    }

    /// <summary><paramref name="text"/> with <paramref name="find"/> (which must occur) replaced.</summary>
    public static string Damage(string text, string find, string replacement)
    {
        Assert.That(text, Does.Contain(find), "the damage must hit something");
        return text.Replace(find, replacement, StringComparison.Ordinal);
    }
}
