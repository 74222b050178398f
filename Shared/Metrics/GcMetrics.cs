namespace PerfTools.Shared.Metrics;

/// <summary>Discovered garbage-collection counters: collections (with the generation label and its gen2 value) and total pause time.</summary>
/// <param name="Collections">A counter of collections, e.g. <c>dotnet_collection_count_total</c>.</param>
/// <param name="GenerationLabel">Label holding the generation (<c>generation</c>, <c>gc_heap_generation</c>, <c>kind</c>).</param>
/// <param name="OldGeneration">Its value for the oldest, most expensive generation (<c>2</c>, <c>gen2</c>, <c>major</c>).</param>
/// <param name="PauseSeconds">A counter of seconds spent in GC pauses, e.g. <c>dotnet_gc_pause_time_seconds_total</c>.</param>
public sealed record GcMetrics(string? Collections, string? GenerationLabel, string? OldGeneration, string? PauseSeconds)
{
    public static GcMetrics None { get; } = new(null, null, null, null);
}
