using System.Globalization;

namespace PerfTools.BottleneckSimulator.Scenarios;

/// <summary>Every scenario <c>--scenario</c> can name, in the order <c>all</c> runs them: validation, <c>--help</c> and
/// the runner all read this one list, so adding a scenario is adding its class and one entry here.</summary>
internal static class ScenarioRegistry
{
    /// <summary>The <c>--scenario</c> value that runs every scenario, in order.</summary>
    public const string All = "all";

    /// <summary>The original script's four, in its order, then the sample API's connection-pool and missing-index bottlenecks.</summary>
    public static IReadOnlyList<ScenarioEntry> Scenarios { get; } =
    [
        new(LoadScenario.Name, LoadScenario.Description, () => new LoadScenario()),
        new("n_plus_1", NPlusOneScenario.Description, () => new NPlusOneScenario()),
        new("slow", SlowScenario.Description, () => new SlowScenario()),
        new("memory", MemoryScenario.Description, () => new MemoryScenario()),
        new(ConnectionPoolScenario.Name, ConnectionPoolScenario.Description, () => new ConnectionPoolScenario()),
        new("missing_index", MissingIndexScenario.Description, () => new MissingIndexScenario()),
    ];

    /// <summary>The names in run order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Scenarios.Select(s => s.Name)];

    /// <summary>What <c>--scenario</c> allows, in the words every message about it uses.</summary>
    public static string Allowed { get; } = $"must be one of {string.Join(", ", Names)}, {All}";

    /// <summary>The scenario called <paramref name="name"/> (as validated: lower case), or null.</summary>
    public static ScenarioEntry? Find(string name) => Scenarios.FirstOrDefault(s => s.Name == name);

    /// <summary>The list <c>--help</c> shows after the options: each name and what it sends.</summary>
    public static IReadOnlyList<string> HelpLines()
    {
        int width = Scenarios.Max(s => s.Name.Length);
        return
        [
            $"Scenarios (--scenario NAME, or {All} for every one in this order):",
            .. Scenarios.Select(s => string.Create(CultureInfo.InvariantCulture, $"  {s.Name.PadRight(width)}  {s.Description}")),
        ];
    }
}

/// <summary>One scenario of the registry.</summary>
/// <param name="Name">The <c>--scenario</c> value, also part of its report file names.</param>
/// <param name="Description">What it sends, for <c>--help</c>.</param>
/// <param name="Create">A new instance for one run.</param>
internal sealed record ScenarioEntry(string Name, string Description, Func<IScenario> Create);
