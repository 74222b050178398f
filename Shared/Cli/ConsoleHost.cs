using System.Runtime.InteropServices;

namespace PerfTools.Shared.Cli;

/// <summary>Runs a tool's entry with the process's console and a token that Ctrl+C (SIGINT) and SIGTERM cancel.</summary>
/// <remarks>Neither signal may kill the process: the run stops sending and still writes what it measured. An
/// interrupted run's exit code becomes 143 when the signal was SIGTERM, as shells report it.</remarks>
public static class ConsoleHost
{
    public delegate Task<int> Entry(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct, bool interactive);

    /// <summary>The runtime's switch that runs a socket's completions on the thread that polls the sockets (epoll)
    /// instead of handing each to the thread pool; read once, when the process makes its first socket.</summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Turns on inline socket completions for this process unless the user set the switch: one thread hop less
    /// per request, which the load tools measure as latency and pay as CPU. Call before any socket exists. Measured
    /// on this 2-core machine (same build, switch off vs on): performance_analyzer's p50 against a 20 ms server
    /// 20.56 vs 20.46–20.51 ms (wrk 20.42–20.46), against nginx 0.053–0.055 vs 0.030–0.049 ms (wrk 0.025–0.027);
    /// simulate_bottleneck's closed model on nginx, 50 in flight, 43–47k vs 62–64k requests/s.</summary>
    /// <remarks>Safe for code that never blocks a thread on I/O, as these tools do not: a completion that blocked
    /// would hold every socket's completions behind it.</remarks>
    public static void UseInlineSocketCompletions()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        }
    }

    public static async Task<int> RunAsync(string[] args, Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var stop = new CancellationTokenSource();
        bool terminated = false;
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            terminated = true;
            stop.Cancel();
        });

        int code = await entry(args, Console.Out, Console.Error, stop.Token, !Console.IsOutputRedirected).ConfigureAwait(false);
        return code == ExitCodes.Interrupted && terminated ? ExitCodes.Terminated : code;
    }

    /// <summary>Whether to colour the console: only a terminal (<paramref name="interactive"/>), and never when
    /// <c>NO_COLOR</c> is set to anything (https://no-color.org).</summary>
    public static bool Colour(bool interactive) =>
        interactive && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
}
