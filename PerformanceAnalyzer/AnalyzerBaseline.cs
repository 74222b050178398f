namespace PerfTools.PerformanceAnalyzer;

/// <summary>The earlier run <c>--baseline</c> names, read and checked before anything is sent.</summary>
/// <param name="Path">The <c>performance_data_*.json</c> read (the newest in the folder, when a folder was given).</param>
/// <param name="Samples">Its latencies, ms, by endpoint label.</param>
internal sealed record AnalyzerBaseline(string Path, IReadOnlyDictionary<string, IReadOnlyList<double>> Samples);
