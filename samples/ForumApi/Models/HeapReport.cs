namespace ForumApi.Models;

/// <summary>Reply of POST /debug/gc: managed heap bytes still live after a full, compacting collection.</summary>
public sealed record HeapReport(long HeapBytes);
