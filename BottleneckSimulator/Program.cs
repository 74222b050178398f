using PerfTools.BottleneckSimulator;
using PerfTools.Shared.Cli;

return CommandLineRunner.Run<SimulatorOptions>("simulate_bottleneck", args, _ =>
{
    // Honest placeholder: the load engine's pacing is not written yet, so nothing is sent.
    Console.Error.WriteLine("simulate_bottleneck: load generation is not built yet; nothing was sent.");
    return ExitCodes.NotImplemented;
});
