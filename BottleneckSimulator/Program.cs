using PerfTools.BottleneckSimulator;
using PerfTools.Shared.Cli;

ConsoleHost.UseInlineSocketCompletions();
return await ConsoleHost.RunAsync(args, (a, stdout, stderr, ct, interactive) => SimulatorApp.RunAsync(a, stdout, stderr, ct, interactive: interactive));
