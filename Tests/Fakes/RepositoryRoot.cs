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

    /// <summary>../shared/fixtures/&lt;name&gt;; where it is absent the test is skipped with a message naming the folder,
    /// or, under CI (<c>CI=true</c>), fails: a CI run must not pass by skipping what it was meant to check.</summary>
    /// <param name="need">What needs the folder, for the message: "conformance tests".</param>
    public static string RequireSharedFixtures(string name, string need)
    {
        if (SharedFixtures(name) is { } dir)
        {
            return dir;
        }

        string message = $"../shared/fixtures/{name} not found: {need} need the shared fixtures beside the repository";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message + " (CI=true: a missing folder fails the run instead of skipping its tests)");
        }

        Assert.Ignore(message);
        return ""; // not reached: Assert.Ignore throws
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
