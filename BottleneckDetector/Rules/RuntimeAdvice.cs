using PerfTools.Shared.Metrics;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary>How a process of a given runtime is usually examined for memory, CPU and allocations: the tools to name in
/// a recommendation and the commands of a next step. For an unknown runtime it names no tool, only what to look for.</summary>
/// <remarks>Each command runs as printed, or carries a placeholder (<c>PID</c>, <c>HOST</c>, <c>MAIN.js</c>) that the same
/// step explains. References: dotnet-gcdump, dotnet-trace, dotnet-counters (learn.microsoft.com/dotnet/core/diagnostics);
/// net/http/pprof and <c>go tool pprof</c>; <c>jcmd</c> (GC.class_histogram, GC.heap_dump, JFR.start) and async-profiler's
/// <c>asprof</c>; Node's <c>--heapsnapshot-signal</c>, <c>--cpu-prof</c>, <c>--inspect</c>; py-spy, memray and tracemalloc.</remarks>
public static class RuntimeAdvice
{
    /// <summary>" (dotnet-gcdump)": the heap tool for a recommendation's parenthesis, or "" for an unknown runtime.</summary>
    public static string HeapTool(TargetRuntime runtime) => Parenthesis(runtime switch
    {
        TargetRuntime.DotNet => "dotnet-gcdump",
        TargetRuntime.Go => "go tool pprof on /debug/pprof/heap",
        TargetRuntime.Jvm => "jcmd GC.class_histogram or GC.heap_dump",
        TargetRuntime.Node => "heap snapshots with --heapsnapshot-signal or the inspector",
        TargetRuntime.Python => "tracemalloc or memray",
        _ => null,
    });

    /// <summary>" (dotnet-trace)": the CPU profiler for a recommendation's parenthesis, or "" for an unknown runtime.</summary>
    public static string CpuTool(TargetRuntime runtime) => Parenthesis(runtime switch
    {
        TargetRuntime.DotNet => "dotnet-trace",
        TargetRuntime.Go => "go tool pprof on /debug/pprof/profile",
        TargetRuntime.Jvm => "async-profiler or JFR",
        TargetRuntime.Node => "--cpu-prof or the inspector",
        TargetRuntime.Python => "py-spy",
        _ => null,
    });

    /// <summary>" (dotnet-trace --profile gc-verbose)": the allocation profiler for a recommendation, or "" for an unknown runtime.</summary>
    public static string AllocationTool(TargetRuntime runtime) => Parenthesis(runtime switch
    {
        TargetRuntime.DotNet => "dotnet-trace --profile gc-verbose",
        TargetRuntime.Go => "go tool pprof on /debug/pprof/allocs",
        TargetRuntime.Jvm => "async-profiler -e alloc or JFR",
        TargetRuntime.Node => "the inspector's allocation sampling",
        TargetRuntime.Python => "memray or tracemalloc",
        _ => null,
    });

    /// <summary>How to see what holds the memory of <paramref name="process"/>: two snapshots some minutes apart, compared.</summary>
    public static IReadOnlyList<string> HeapSteps(ProcessFacts process)
    {
        ArgumentNullException.ThrowIfNull(process);
        string name = process.Name;
        return process.Runtime switch
        {
            TargetRuntime.DotNet =>
            [
                $"take two heap dumps of {name} some minutes apart and compare which types grow: dotnet-gcdump collect -p {Pid(process)}, " +
                $"then dotnet-gcdump report FILE for each{Notes("FILE: the .gcdump it wrote", PidNote(process))}",
                $"watch its GC heap live: dotnet-counters monitor -p {Pid(process)} --counters System.Runtime{Notes(PidNote(process))}",
            ],
            TargetRuntime.Go =>
            [
                $"take two heap profiles of {name} some minutes apart: go tool pprof {PprofUrl(process, "heap")}, then compare them with " +
                $"go tool pprof -base FIRST SECOND{Notes("FIRST, SECOND: the files pprof saved", HostNote(process))}",
            ],
            TargetRuntime.Jvm =>
            [
                $"see which classes of {name} grow: jcmd {Pid(process)} GC.class_histogram, now and some minutes later; " +
                $"for a full dump, jcmd {Pid(process)} GC.heap_dump /tmp/heap.hprof and open it in Eclipse MAT{Notes(PidNote(process))}",
            ],
            TargetRuntime.Node =>
            [
                $"start {name} with node --heapsnapshot-signal=SIGUSR2 MAIN.js, then run kill -USR2 {Pid(process)} twice some minutes apart " +
                $"and compare the two .heapsnapshot files in Chrome DevTools' Memory tab{Notes(MainNote, PidNote(process))}",
            ],
            TargetRuntime.Python =>
            [
                $"see what {name} keeps: memray attach {Pid(process)}, then memray flamegraph FILE; " +
                $"or compare tracemalloc snapshots taken some minutes apart inside the service{Notes("FILE: the .bin memray wrote", PidNote(process))}",
            ],
            _ =>
            [
                $"take two heap snapshots of {name} some minutes apart with its runtime's heap profiler and compare which objects grow in number and size",
            ],
        };
    }

    /// <summary>How to see where <paramref name="process"/> spends its CPU: a profile of 30 s under load.</summary>
    public static IReadOnlyList<string> CpuSteps(ProcessFacts process)
    {
        ArgumentNullException.ThrowIfNull(process);
        string name = process.Name;
        return process.Runtime switch
        {
            TargetRuntime.DotNet =>
            [
                $"record 30 s of CPU samples of {name} while it is under load: dotnet-trace collect -p {Pid(process)} --duration 00:00:00:30 " +
                $"--format Speedscope, and open the .speedscope.json at speedscope.app{Notes(PidNote(process))}",
            ],
            TargetRuntime.Go =>
            [
                $"record a 30 s CPU profile of {name} while it is under load: go tool pprof '{PprofUrl(process, "profile?seconds=30")}'{Notes(HostNote(process))}",
            ],
            TargetRuntime.Jvm =>
            [
                $"profile {name} for 30 s while it is under load: asprof -d 30 -e cpu -f /tmp/cpu.html {Pid(process)} (async-profiler), " +
                $"or jcmd {Pid(process)} JFR.start duration=30s filename=/tmp/cpu.jfr settings=profile{Notes(PidNote(process))}",
            ],
            TargetRuntime.Node =>
            [
                $"profile {name} under load: start it with node --cpu-prof MAIN.js (it writes a .cpuprofile when it exits), " +
                $"or with node --inspect MAIN.js and record in chrome://inspect{Notes(MainNote)}",
            ],
            TargetRuntime.Python =>
            [
                $"record 30 s of CPU samples of {name} while it is under load: py-spy record -o /tmp/profile.svg --pid {Pid(process)} --duration 30; " +
                $"py-spy dump --pid {Pid(process)} shows what each thread does right now{Notes(PidNote(process))}",
            ],
            _ =>
            [
                $"record a CPU profile of {name} for 30 s while it is under load, with its runtime's profiler, and start with the hottest path",
            ],
        };
    }

    /// <summary>How to see where <paramref name="process"/> allocates: an allocation profile under load.</summary>
    public static IReadOnlyList<string> AllocationSteps(ProcessFacts process)
    {
        ArgumentNullException.ThrowIfNull(process);
        string name = process.Name;
        return process.Runtime switch
        {
            TargetRuntime.DotNet =>
            [
                $"record the allocations of {name} under load: dotnet-trace collect -p {Pid(process)} --profile gc-verbose --duration 00:00:00:30{Notes(PidNote(process))}",
            ],
            TargetRuntime.Go =>
            [
                $"see where {name} allocates: go tool pprof -sample_index=alloc_space {PprofUrl(process, "allocs")}{Notes(HostNote(process))}",
            ],
            TargetRuntime.Jvm =>
            [
                $"record the allocations of {name} under load: asprof -d 30 -e alloc -f /tmp/alloc.html {Pid(process)} (async-profiler), " +
                $"or jcmd {Pid(process)} JFR.start duration=60s filename=/tmp/gc.jfr settings=profile{Notes(PidNote(process))}",
            ],
            TargetRuntime.Node =>
            [
                $"see what {name} allocates: start it with node --trace-gc --inspect MAIN.js, then record an allocation sampling profile " +
                $"in chrome://inspect{Notes(MainNote)}",
            ],
            TargetRuntime.Python =>
            [
                $"see where {name} allocates: memray attach {Pid(process)}, then memray flamegraph FILE{Notes("FILE: the .bin memray wrote", PidNote(process))}",
            ],
            _ =>
            [
                $"record an allocation profile of {name} under load, with its runtime's profiler, and cut allocations on the hottest paths",
            ],
        };
    }

    private const string MainNote = "MAIN.js: the service's entry script";

    private static string Parenthesis(string? tool) => tool is null ? "" : $" ({tool})";

    /// <summary>" (a; b)": what the placeholders of a step stand for, after it.</summary>
    private static string Notes(params string[] notes) => $" ({string.Join("; ", notes)})";

    private static string Pid(ProcessFacts process) => process.Pid ?? "PID";

    /// <summary>What to put for PID, the way each runtime lists its processes; where the number came from when the metrics gave it.</summary>
    private static string PidNote(ProcessFacts process) => process.Pid is not null
        ? $"{process.Pid}: its process id, from target_info"
        : process.Runtime switch
        {
            TargetRuntime.DotNet => "PID: the target's process id; dotnet-counters ps lists the .NET processes",
            TargetRuntime.Jvm => "PID: the JVM's process id; jcmd -l lists the JVMs",
            TargetRuntime.Node => "PID: its process id, e.g. from pgrep -f MAIN.js",
            TargetRuntime.Python => "PID: its process id, e.g. from pgrep -f python",
            _ => "PID: the target's process id, e.g. from pgrep -f NAME",
        };

    private static string PprofUrl(ProcessFacts process, string profile) => $"http://{process.HostPort ?? "HOST"}/debug/pprof/{profile}";

    private static string HostNote(ProcessFacts process) => process.HostPort is not null
        ? "the address Prometheus scrapes: the service must serve net/http/pprof there"
        : "HOST: host:port of the service's net/http/pprof handlers";
}
