using PerfTools.BottleneckDetector.Rules;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Metrics;
using static PerfTools.Tests.BottleneckDetector.Rules.PromData;

namespace PerfTools.Tests.BottleneckDetector.Rules;

/// <summary>Memory, GC and CPU advice fits the runtime the metrics reveal, and names no tool when it is unknown.</summary>
public class RuntimeAdviceTests
{
    private const double MiB = 1024 * 1024;

    /// <summary>Every runtime-specific tool or flag the advice may name: none of them fits a service of unknown runtime.</summary>
    private static readonly string[] Tools =
        ["dotnet-", "pprof", "jcmd", "asprof", "async-profiler", "JFR", "py-spy", "memray", "tracemalloc", "node --", "--heapsnapshot", "--cpu-prof", "--inspect"];

    private static readonly (string, string)[] Forum = [("job", "forum"), ("instance", "10.0.0.7:6060")];

    // 61 points 5 s apart, 0.5 MiB more each: ~100 KiB/s, a steady leak
    private static readonly double[] Leaking = Enumerable.Range(0, 61).Select(i => (200 * MiB) + (i * 0.5 * MiB) + (i % 2 * 0.1 * MiB)).ToArray();

    private static TargetFacts Facts(TargetRuntime runtime) => TargetFacts.Unknown with { Runtime = runtime };

    /// <summary>One finding of each memory, GC and CPU rule, from the rules' pure steps.</summary>
    private static IReadOnlyList<Finding> ProcessFindings(TargetFacts facts) =>
    [
        .. MemoryGrowthRule.Evaluate(Range(Leaking, 5, Forum), "process_resident_memory_bytes", Vector(Series(1795000000 - 3600, Forum)), null, new(), facts),
        .. HighMemoryRule.Evaluate(Vector(Series(2048 * MiB, Forum)), null, "q", new(), facts),
        .. HighMemoryRule.Evaluate(Vector(Series(900 * MiB, Forum)), 1000 * MiB, "q", new(), facts),
        .. CpuSaturationRule.Evaluate(Vector(Series(0.97, Forum)), Vector(), "q", new(), facts),
        .. GcPressureRule.Evaluate(Vector(Series(0.3, Forum)), "pause", Vector(Series(0.5, Forum)), "gen2", new(), facts),
    ];

    [Test]
    public void ProcessRules_UnknownRuntime_NameNoToolOnlyWhatToLookFor()
    {
        var findings = ProcessFindings(TargetFacts.Unknown);

        Assert.That(findings.Select(f => f.Rule).Distinct(), Is.EquivalentTo(new[] { "memory_growth", "high_memory", "cpu_saturation", "gc_pressure" }));
        Assert.Multiple(() =>
        {
            foreach (Finding f in findings)
            {
                string advice = f.Recommendation + "\n" + string.Join("\n", f.NextSteps);
                Assert.That(f.NextSteps, Is.Not.Empty, f.Rule);
                foreach (string tool in Tools)
                {
                    Assert.That(advice, Does.Not.Contain(tool), $"{f.Rule}: {advice}");
                }
            }

            Assert.That(findings.Single(f => f.Rule == "memory_growth").NextSteps[0], Does.Contain("heap snapshots").And.Contain("compare"));
            Assert.That(findings.Single(f => f.Rule == "cpu_saturation").NextSteps[0], Does.Contain("CPU profile").And.Contain("under load"));
        });
    }

    [TestCase(TargetRuntime.DotNet, "dotnet-gcdump collect -p PID", "dotnet-trace collect -p PID --duration 00:00:00:30", "dotnet-trace collect -p PID --profile gc-verbose")]
    [TestCase(TargetRuntime.Go, "go tool pprof http://10.0.0.7:6060/debug/pprof/heap", "go tool pprof 'http://10.0.0.7:6060/debug/pprof/profile?seconds=30'",
        "go tool pprof -sample_index=alloc_space http://10.0.0.7:6060/debug/pprof/allocs")]
    [TestCase(TargetRuntime.Jvm, "jcmd PID GC.heap_dump /tmp/heap.hprof", "asprof -d 30 -e cpu -f /tmp/cpu.html PID", "asprof -d 30 -e alloc")]
    [TestCase(TargetRuntime.Node, "node --heapsnapshot-signal=SIGUSR2 MAIN.js", "node --cpu-prof MAIN.js", "node --trace-gc --inspect MAIN.js")]
    [TestCase(TargetRuntime.Python, "memray attach PID", "py-spy record -o /tmp/profile.svg --pid PID --duration 30", "memray attach PID")]
    public void ProcessRules_KnownRuntime_NameItsTools(TargetRuntime runtime, string heap, string cpu, string allocations)
    {
        var findings = ProcessFindings(Facts(runtime));

        string Steps(string rule) => string.Join("\n", findings.Where(f => f.Rule == rule).SelectMany(f => f.NextSteps));
        Assert.Multiple(() =>
        {
            Assert.That(Steps("memory_growth"), Does.Contain(heap));
            Assert.That(Steps("high_memory"), Does.Contain(heap));
            Assert.That(Steps("cpu_saturation"), Does.Contain(cpu));
            Assert.That(Steps("gc_pressure"), Does.Contain(allocations));
            Assert.That(findings.Single(f => f.Rule == "cpu_saturation").Recommendation, Does.Contain(RuntimeAdvice.CpuTool(runtime)));
            if (runtime != TargetRuntime.DotNet)
            {
                Assert.That(string.Join("\n", findings.SelectMany(f => f.NextSteps.Append(f.Recommendation))), Does.Not.Contain("dotnet"),
                    "the bug this pins: advice named the .NET tools whatever the runtime");
            }
        });
    }

    [TestCase(TargetRuntime.DotNet, "dotnet-counters ps lists the .NET processes")]
    [TestCase(TargetRuntime.Jvm, "jcmd -l lists the JVMs")]
    [TestCase(TargetRuntime.Python, "PID: its process id, e.g. from pgrep -f python")]
    public void HeapSteps_PidUnknown_ThePlaceholderIsExplained(TargetRuntime runtime, string explanation)
    {
        var steps = RuntimeAdvice.HeapSteps(new ProcessFacts("forum (10.0.0.7:6060)", runtime, "10.0.0.7:6060", null));

        Assert.That(steps, Has.All.Contains("PID").And.All.Contains(explanation));
    }

    [Test]
    public void HeapSteps_PidFromTargetInfo_UsedInTheCommand()
    {
        var steps = RuntimeAdvice.HeapSteps(new ProcessFacts("forum (10.0.0.7:6060)", TargetRuntime.DotNet, "10.0.0.7:6060", "4242"));

        Assert.That(steps[0], Does.Contain("dotnet-gcdump collect -p 4242,").And.Contain("4242: its process id, from target_info)").And.Not.Contain("PID"));
    }

    [Test]
    public void CpuSteps_GoWithoutInstance_HostPlaceholderExplained()
    {
        var step = RuntimeAdvice.CpuSteps(new ProcessFacts("service", TargetRuntime.Go, null, null)).Single();

        Assert.That(step, Does.Contain("go tool pprof 'http://HOST/debug/pprof/profile?seconds=30'").And.Contain("HOST: host:port of the service's net/http/pprof handlers"));
    }

    [Test]
    public void GcPressure_DotNet_KeepsItsDotNetWording()
    {
        var findings = GcPressureRule.Evaluate(Vector(Series(0.3, Forum)), "pause", Vector(Series(0.5, Forum)), "gen2", new(), Facts(TargetRuntime.DotNet));

        Assert.That(findings[0].Recommendation, Does.Contain("avoid LINQ and boxing in loops").And.Contain("(dotnet-trace --profile gc-verbose)"));
        Assert.That(findings[1].Recommendation, Does.Contain("GC.Collect").And.Contain("large object heap"));
    }
}
