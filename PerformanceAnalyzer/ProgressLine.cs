namespace PerfTools.PerformanceAnalyzer;

/// <summary>A <c>GET /boards  7/10</c> line rewritten in place with '\r' while requests run; silent unless the
/// output is a terminal, so redirected output and logs hold only the final tables.</summary>
internal sealed class ProgressLine(TextWriter output, bool enabled)
{
    private readonly Lock _lock = new();
    private int _lastLength;

    public void Show(string label, int done, int total)
    {
        if (!enabled)
        {
            return;
        }

        lock (_lock)
        {
            string text = $"{label}  {done}/{total}";
            output.Write("\r" + text.PadRight(_lastLength));
            output.Flush();
            _lastLength = text.Length;
        }
    }

    /// <summary>Blanks the line so the next output starts at column 0 on a clean line.</summary>
    public void Clear()
    {
        if (!enabled || _lastLength == 0)
        {
            return;
        }

        lock (_lock)
        {
            output.Write("\r" + new string(' ', _lastLength) + "\r");
            output.Flush();
            _lastLength = 0;
        }
    }
}
