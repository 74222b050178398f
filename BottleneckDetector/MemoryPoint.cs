namespace PerfTools.BottleneckDetector;

/// <summary>One sample of the memory series over the window, in bytes.</summary>
internal sealed record MemoryPoint(DateTimeOffset At, double Bytes);
