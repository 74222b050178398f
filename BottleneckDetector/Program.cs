using PerfTools.BottleneckDetector;
using PerfTools.Shared.Cli;

return CommandLineRunner.Run<DetectorOptions>("bottleneck_detector", args, _ =>
{
    // Honest placeholder: the rules are not written yet, so nothing is queried and no report is invented.
    Console.Error.WriteLine("bottleneck_detector: detection is not built yet; nothing was queried and no report was written.");
    return ExitCodes.NotImplemented;
});
