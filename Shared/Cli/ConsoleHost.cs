using System.Runtime.InteropServices;

namespace PerfTools.Shared.Cli;

/// <summary>Runs a tool's entry with the process's console and a token that Ctrl+C (SIGINT) and SIGTERM cancel.</summary>
/// <remarks>Neither signal may kill the process: the run stops sending and still writes what it measured. An
/// interrupted run's exit code becomes 143 when the signal was SIGTERM, as shells report it.</remarks>
public static class ConsoleHost
{
    public delegate Task<int> Entry(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct, bool interactive);

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
