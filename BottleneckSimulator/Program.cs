using PerfTools.BottleneckSimulator;
using PerfTools.Shared.Cli;

return await ConsoleHost.RunAsync(args, (a, stdout, stderr, ct, interactive) => SimulatorApp.RunAsync(a, stdout, stderr, ct, interactive: interactive));
