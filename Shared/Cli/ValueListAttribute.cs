namespace PerfTools.Shared.Cli;

/// <summary>Marks a repeatable option that also takes several values at once, as <c>--merge a b c</c> (the words up to
/// the next option); <see cref="ArgumentScan"/> hands them to the parser as one instance each.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ValueListAttribute : Attribute;
