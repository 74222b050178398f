using System.Text;

namespace PerfTools.Tests.Hardening;

/// <summary>Everything a run put out, for searching: its stdout, its stderr and the bytes of every file under its
/// output folder.</summary>
internal sealed class OutputScan
{
    private OutputScan(string stdout, string stderr, IReadOnlyDictionary<string, byte[]> files)
    {
        Stdout = stdout;
        Stderr = stderr;
        Files = files;
    }

    public string Stdout { get; }

    public string Stderr { get; }

    /// <summary>Full path → bytes, for every file under the output folder (subfolders included).</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; }

    public static OutputScan Of(string stdout, string stderr, string outputFolder) => new(
        stdout,
        stderr,
        Directory.Exists(outputFolder)
            ? Directory.GetFiles(outputFolder, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes)
            : new Dictionary<string, byte[]>());

    /// <summary>Where <paramref name="secret"/> occurs: "stdout", "stderr" or a file name; empty when nowhere.</summary>
    public IReadOnlyList<string> WhereIs(string secret)
    {
        var found = new List<string>();
        if (Stdout.Contains(secret, StringComparison.Ordinal))
        {
            found.Add("stdout");
        }

        if (Stderr.Contains(secret, StringComparison.Ordinal))
        {
            found.Add("stderr");
        }

        byte[] bytes = Encoding.UTF8.GetBytes(secret);
        found.AddRange(Files.Where(f => f.Value.AsSpan().IndexOf(bytes) >= 0).Select(f => Path.GetFileName(f.Key)));
        return found;
    }

    /// <summary>The text of the one file whose name starts with <paramref name="prefix"/>.</summary>
    public string Text(string prefix) =>
        Encoding.UTF8.GetString(Files.Single(f => Path.GetFileName(f.Key).StartsWith(prefix, StringComparison.Ordinal)).Value);
}
