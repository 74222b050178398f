using PerfTools.PerformanceAnalyzer;
using PerfTools.Shared.Cli;

ConsoleHost.UseInlineSocketCompletions();
return await ConsoleHost.RunAsync(args, (a, stdout, stderr, ct, interactive) => AnalyzerApp.RunAsync(a, stdout, stderr, ct, interactive: interactive));
