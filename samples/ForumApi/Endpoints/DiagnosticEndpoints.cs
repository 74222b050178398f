using System.Diagnostics;
using System.Runtime;
using System.Security.Cryptography;
using ForumApi.Data;
using ForumApi.Models;

namespace ForumApi.Endpoints;

/// <summary>Health, the deliberately slow endpoint (bottlenecks 1 and 5), and a GC endpoint that makes leak measurements stable.</summary>
internal static class DiagnosticEndpoints
{
    private static readonly TimeSpan SleepTime = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan CpuTime = TimeSpan.FromMilliseconds(100);

    public static void Map(WebApplication app)
    {
        app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        app.MapGet("/slow", SlowAsync);
        app.MapPost("/debug/gc", CollectGarbage);
    }

    /// <summary>
    /// Bottleneck 1: ~400 ms of waiting plus ~100 ms of real CPU work; fixed, it skips both. On PostgreSQL it also reads
    /// the board count, and bottleneck 5 is where it takes its pooled connection: first thing, held through the slow
    /// part, so ~20 concurrent calls drain a pool of 10 and every other database route queues behind them. Fixed, the
    /// connection is taken only around the query. On SQLite (no pool limit) it does no database work, as before.
    /// </summary>
    private static async Task<IResult> SlowAsync(ForumOptions options, Db db, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var slow = !options.IsFixed(Bottlenecks.SlowEndpoint);
        if (!db.Dialect.HasBoundedPool)
        {
            if (slow)
                await SlowWorkAsync(ct);
        }
        else if (options.IsFixed(Bottlenecks.ConnectionPool))
        {
            if (slow)
                await SlowWorkAsync(ct);
            await using var c = await db.OpenAsync(ct);
            await db.ScalarAsync(c, "SELECT COUNT(*) FROM boards");
        }
        else
        {
            await using var c = await db.OpenAsync(ct);
            if (slow)
                await SlowWorkAsync(ct);
            await db.ScalarAsync(c, "SELECT COUNT(*) FROM boards");
        }

        return Results.Ok(new SlowResult("ok", Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3)));
    }

    private static async Task SlowWorkAsync(CancellationToken ct)
    {
        // Waits without holding a thread: a blocking sleep would starve the pool on a 2-core box and hide the other bottlenecks.
        await Task.Delay(SleepTime, ct);
        BurnCpu(CpuTime);
    }

    /// <summary>Hashes a buffer over and over, so the time shows up as CPU in profiles, not as idle.</summary>
    private static void BurnCpu(TimeSpan duration)
    {
        var buffer = new byte[4096];
        var hash = new byte[32];
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < duration)
        {
            SHA256.HashData(buffer, hash);
            hash.CopyTo(buffer, 0);
        }
    }

    /// <summary>
    /// Without a full collection, the heap size mostly reflects when the last GC happened, which would drown the
    /// leak signal; tests call this before and after a load to measure what is really retained.
    /// </summary>
    private static IResult CollectGarbage()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return Results.Ok(new HeapReport(GC.GetTotalMemory(forceFullCollection: false)));
    }
}
