namespace PerfTools.BottleneckDetector;

/// <summary>One route's p95 over the window, in ms, as the chart's bars show it.</summary>
internal sealed record RouteLatency(string Route, double P95Ms);
