using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PerfTools.Tests.Fakes;

/// <summary>The checks every report page gets in <see cref="HeadlessChromium"/>: it fetched nothing but itself and its
/// <c>data:</c> images, nothing failed, its screenshot is not blank, and it prints to a real PDF.</summary>
public static partial class PageAssert
{
    /// <summary>One request for the page's own file, every other one a <c>data:</c> URI, and none failed.</summary>
    public static void OnlyItselfAndDataUris(ChromiumPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        Assert.That(page.Requests.Select(r => r.Url),
            Has.All.Matches<string>(u => u == page.Url.AbsoluteUri || u.StartsWith("data:", StringComparison.Ordinal)), page.ToString());
        Assert.That(page.Requests.Count(r => r.Url == page.Url.AbsoluteUri), Is.EqualTo(1), page.ToString());
        Assert.That(page.FailedRequests, Is.Empty, page.ToString());
    }

    /// <summary>At least 2% of the pixels are not white and there are more than a handful of colours (<see cref="ImageStats.IsNotBlank"/>).</summary>
    public static ImageStats NotBlank(byte[] png)
    {
        ImageStats stats = ImageStats.Of(png);
        Assert.That(stats.IsNotBlank(), Is.True, $"the screenshot looks blank: {stats}");
        return stats;
    }

    /// <summary>A whole PDF (header and end marker) of at least <paramref name="minPages"/> pages and more bytes than an
    /// empty page takes.</summary>
    /// <returns>The number of pages.</returns>
    public static int Pdf(byte[] pdf, int minPages = 1, int minBytes = 10_000)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        string text = Encoding.Latin1.GetString(pdf);
        Assert.That(text, Does.StartWith("%PDF-"), "a PDF header");
        Assert.That(text.TrimEnd(), Does.EndWith("%%EOF"), "a PDF's end marker: the file is whole");
        Assert.That(pdf, Has.Length.GreaterThan(minBytes), "text and images, not an empty page");
        // The page tree's root: "/Type /Pages ... /Count N" (Chromium's Skia writes it uncompressed).
        Match pages = PageCount().Match(text);
        Assert.That(pages.Success, Is.True, "a page tree with a count");
        int count = int.Parse(pages.Groups["n"].Value, CultureInfo.InvariantCulture);
        Assert.That(count, Is.GreaterThanOrEqualTo(minPages), "pages printed");
        return count;
    }

    [GeneratedRegex(@"/Type\s*/Pages\b[^>]*?/Count\s+(?<n>[0-9]+)|/Count\s+(?<n>[0-9]+)[^>]*?/Type\s*/Pages\b", RegexOptions.CultureInvariant)]
    private static partial Regex PageCount();
}
