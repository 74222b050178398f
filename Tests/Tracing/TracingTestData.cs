namespace PerfTools.Tests.Tracing;

/// <summary>Locates the project's own Jaeger fixtures and, when present, the shared reference fixtures.</summary>
internal static class TracingTestData
{
    public static string Read(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "jaeger", name));

    /// <summary>../shared/fixtures/jaeger beside the repository root (the folder holding PerfTools.sln); null when absent.</summary>
    public static string? SharedJaegerFixtures()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PerfTools.sln")))
            {
                var path = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "jaeger"));
                return Directory.Exists(path) ? path : null;
            }
        }

        return null;
    }
}
