using ForumApi.Data;

namespace ForumApi;

/// <summary>What start-up found, for the lines Program prints: where the data lives (password masked) and what --seed did.</summary>
internal sealed record StartupReport(string Location, SeedResult? Seed);
