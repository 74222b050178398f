using System.Globalization;
using System.Text;
using Newtonsoft.Json;

namespace PerfTools.Shared.Reports;

/// <summary>How every JSON report is laid out: UTF-8 without BOM, "\n" line ends, indented by 2 (as Python's
/// <c>json.dump(..., indent=2)</c>), numbers in the invariant culture, and a final newline.</summary>
internal static class ReportJson
{
    /// <summary>Lets <paramref name="body"/> write the document to <paramref name="destination"/>, which stays open.</summary>
    public static void Write(Stream destination, Action<JsonTextWriter> body)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(body);
        using var text = new StreamWriter(destination, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true)
        {
            NewLine = "\n", // same bytes on every OS, as the golden files expect
        };
        using var json = new JsonTextWriter(text)
        {
            Formatting = Formatting.Indented,
            Indentation = 2,
            Culture = CultureInfo.InvariantCulture,
        };
        body(json);
        json.Flush();
        text.Write('\n');
    }
}
