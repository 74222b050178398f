namespace PerfTools.Shared.Tracing;

/// <summary>How many database spans ran one SQL verb (SELECT, INSERT, … or OTHER when it is unknown).</summary>
public sealed record DbVerbStat(string Verb, int Count);
