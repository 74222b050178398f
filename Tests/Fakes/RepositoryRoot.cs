namespace PerfTools.Tests.Fakes;

/// <summary>Finds the repository (the folder holding PerfTools.sln) from the test binaries, and the shared fixtures beside it.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>../shared/fixtures/&lt;name&gt; beside the repository, or null where that folder is absent.</summary>
    public static string? SharedFixtures(string name)
    {
        var dir = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, "..", "shared", "fixtures", name));
        return Directory.Exists(dir) ? dir : null;
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "PerfTools.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no PerfTools.sln above {AppContext.BaseDirectory}");
    }
}
