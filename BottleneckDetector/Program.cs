using System.Runtime.InteropServices;
using PerfTools.BottleneckDetector;
using PerfTools.Shared.Cli;

// Ctrl+C and SIGTERM both stop the queries; the run then still reports what it gathered, so neither may kill the process.
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

int code = await DetectorApp.RunAsync(args, Console.Out, Console.Error, stop.Token, interactive: !Console.IsOutputRedirected);
return code == ExitCodes.Interrupted && terminated ? ExitCodes.Terminated : code;
