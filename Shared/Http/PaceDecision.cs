namespace PerfTools.Shared.Http;

/// <summary>What a pacer says about the next send: wait this long first, or stop because the run is over.</summary>
/// <param name="Wait">Time until the next request is due; zero when it is due or overdue (catch-up sends at once).</param>
/// <param name="Stop">The next request would be due at or after the end of the run: send nothing more.</param>
public readonly record struct PaceDecision(TimeSpan Wait, bool Stop);
