using PerfTools.PerformanceAnalyzer;
using PerfTools.Shared.Cli;

return CommandLineRunner.Run<AnalyzerOptions>("performance_analyzer", args, _ =>
{
    // Honest placeholder: measurement is not wired yet, so nothing is sent and no report is invented.
    Console.Error.WriteLine("performance_analyzer: measurement is not built yet; nothing was sent.");
    return ExitCodes.NotImplemented;
});
