namespace PerfTools.Tests.Reports;

/// <summary>Compares output with <c>Tests/testdata/golden/</c>; with <c>UPDATE_GOLDEN=1</c> rewrites the source copy instead (STYLE habit 10).</summary>
internal static class GoldenFile
{
    public static bool Updating => Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";

    public static void AssertMatches(string name, byte[] actual)
    {
        if (Updating)
        {
            var path = Path.Combine(SourceFolder(), name);
            File.WriteAllBytes(path, actual);
            Assert.Warn($"UPDATE_GOLDEN=1: rewrote {path}");
            return;
        }

        var expectedPath = Path.Combine(AppContext.BaseDirectory, "testdata", "golden", name);
        Assert.That(File.Exists(expectedPath), Is.True, $"{expectedPath} is missing; run the tests once with UPDATE_GOLDEN=1");
        var expected = File.ReadAllText(expectedPath);
        // Compare as text first for a readable diff, then as bytes for line endings and encoding.
        Assert.That(System.Text.Encoding.UTF8.GetString(actual), Is.EqualTo(expected), $"{name} differs from the golden file");
        Assert.That(actual, Is.EqualTo(File.ReadAllBytes(expectedPath)), $"{name} differs from the golden file in its bytes");
    }

    /// <summary>The golden folder in the source tree, not the copy beside the test binaries.</summary>
    private static string SourceFolder() => Path.Combine(Fakes.RepositoryRoot.Path, "Tests", "testdata", "golden");
}
