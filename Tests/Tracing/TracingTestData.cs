namespace PerfTools.Tests.Tracing;

/// <summary>Locates the project's own Jaeger fixtures and, when present, the shared reference fixtures.</summary>
internal static class TracingTestData
{
    public static string Read(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "jaeger", name));

    /// <summary>../shared/fixtures/jaeger beside the repository root; null when absent.</summary>
    public static string? SharedJaegerFixtures() => Fakes.RepositoryRoot.SharedFixtures("jaeger");
}
