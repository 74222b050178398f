using System.Globalization;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Text;

namespace PerfTools.BottleneckSimulator;

/// <summary>The once-a-second progress line of a running scenario: rewritten in place on a terminal, printed as its
/// own line otherwise (so logs show the run's course too).</summary>
/// <remarks>Locked: the scenario itself writes a line through it (the warm-up's) while the live loop shows progress.</remarks>
internal sealed class LiveLine(TextWriter output, bool interactive)
{
    private readonly Lock _lock = new();
    private int _lastLength;

    public void Show(string scenario, TimeSpan elapsed, TimeSpan total, long sent, SimulationStats soFar)
    {
        double seconds = elapsed.TotalSeconds;
        string text = string.Create(CultureInfo.InvariantCulture,
            $"[{scenario}] {seconds,4:0}/{total.TotalSeconds:0} s  sent {sent}  ok {soFar.Ok}  errors {soFar.Errors}  "
            + $"{(seconds > 0 ? sent / seconds : 0):0.0} rps  p50 {Milliseconds.FromMicros(soFar.Latency.P50Micros, 1)} ms  p99 {Milliseconds.FromMicros(soFar.Latency.P99Micros, 1)} ms");
        Write(text);
    }

    /// <summary>The line while the scenario warms up: only what was sent, since nothing is recorded.</summary>
    public void ShowWarmup(string scenario, TimeSpan elapsed, TimeSpan total, long sent) =>
        Write(string.Create(CultureInfo.InvariantCulture,
            $"[{scenario}] warm-up {elapsed.TotalSeconds,4:0}/{total.TotalSeconds:0} s  sent {sent}  (not recorded)"));

    /// <summary>A line of its own between progress lines; the in-place line, if any, is ended first.</summary>
    public void WriteLine(string text)
    {
        lock (_lock)
        {
            EndLocked();
            output.WriteLine(text);
            output.Flush();
        }
    }

    /// <summary>Ends the in-place line so the summary starts on a line of its own.</summary>
    public void End()
    {
        lock (_lock)
        {
            EndLocked();
        }
    }

    private void Write(string text)
    {
        lock (_lock)
        {
            if (interactive)
            {
                output.Write("\r" + text.PadRight(_lastLength));
                _lastLength = text.Length;
            }
            else
            {
                output.WriteLine(text);
            }

            output.Flush();
        }
    }

    private void EndLocked()
    {
        if (interactive && _lastLength > 0)
        {
            output.WriteLine();
            _lastLength = 0;
        }
    }
}
