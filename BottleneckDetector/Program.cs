using PerfTools.BottleneckDetector;
using PerfTools.Shared.Cli;

return await ConsoleHost.RunAsync(args, (a, stdout, stderr, ct, interactive) => DetectorApp.RunAsync(a, stdout, stderr, ct, interactive: interactive));
