namespace PerfTools.Tests.Tracing;

/// <summary>Reads the project's own Jaeger fixtures under <c>Tests/testdata/jaeger/</c>.</summary>
internal static class TracingTestData
{
    public static string Read(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "jaeger", name));
}
