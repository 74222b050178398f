using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace PerfTools.Tests.Hardening;

/// <summary>One of the three built tools running as a child process (<c>dotnet &lt;tool&gt;.dll</c> from the test
/// output folder), so tests can send it real signals and see its real exit code and output.</summary>
internal sealed class ToolProcess : IDisposable
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ToolProcess(Process process, string tool)
    {
        _process = process;
        Tool = tool;
    }

    public string Tool { get; }

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="tool"/> (<c>performance_analyzer</c>, <c>simulate_bottleneck</c> or
    /// <c>bottleneck_detector</c>) with <paramref name="args"/>; <c>NO_COLOR</c> and no tokens from the test's
    /// environment.</summary>
    public static ToolProcess Start(string tool, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, tool + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{tool}.dll is not in the test output folder; does Tests.csproj reference it?", dll);
        }

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // no terminal: the tools must not depend on one to be stopped
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["NO_COLOR"] = "1";
        info.Environment.Remove("JAEGER_TOKEN");
        info.Environment.Remove("PROMETHEUS_TOKEN");

        var process = new Process { StartInfo = info };
        var tp = new ToolProcess(process, tool);
        process.OutputDataReceived += (_, e) => Append(tp._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(tp._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return tp;
    }

    /// <summary>Sends <paramref name="signal"/> (<see cref="SigInt"/> or <see cref="SigTerm"/>) with libc kill.</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The exit code, or null when the process is still running after <paramref name="limit"/>.</summary>
    public async Task<int?> WaitAsync(TimeSpan limit)
    {
        using var wait = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        _process.WaitForExit(); // lets the output readers drain to the end
        return _process.ExitCode;
    }

    public override string ToString() => $"{Tool}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder to, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (to)
        {
            to.Append(line).Append('\n');
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
