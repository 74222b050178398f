using PerfTools.Shared.Analysis;

namespace PerfTools.BottleneckDetector.Database;

/// <summary>What the database gave one run: its status, what was looked at (one line each, printed under the status),
/// the findings, and for a database that could not be asked, how to reach it.</summary>
/// <param name="Lines">The server and its version, where the statements came from and how many were EXPLAINed, hypopg.</param>
/// <param name="Fix">What to do about an unreachable database: start it, or fix the URL or password; null when it answered.</param>
internal sealed record DatabaseAnalysis(SourceStatus Status, IReadOnlyList<string> Lines, IReadOnlyList<Finding> Findings, string? Fix = null);
