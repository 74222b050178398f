using System.Text;

namespace PerfTools.Shared.Cli;

/// <summary>A console writer that masks secrets (<see cref="Redactor"/>) in everything written through it, whichever
/// code wrote it, so no secret reaches a terminal or a log.</summary>
/// <remarks>
/// Text is passed on a line at a time (up to each '\n' or '\r', so a progress line rewritten with '\r' still
/// shows), and the rest on <see cref="Flush"/>: a secret written in two pieces is still seen whole. Disposing
/// flushes but leaves the inner writer open. Thread-safe.
/// </remarks>
public sealed class RedactingWriter : TextWriter
{
    private readonly TextWriter _inner;
    private readonly Redactor _redactor;
    private readonly StringBuilder _pending = new();
    private readonly Lock _lock = new();

    public RedactingWriter(TextWriter inner, Redactor redactor)
        : base(inner?.FormatProvider)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(redactor);
        _inner = inner;
        _redactor = redactor;
        CoreNewLine = inner.NewLine.ToCharArray();
    }

    public override Encoding Encoding => _inner.Encoding;

    public override void Write(char value)
    {
        lock (_lock)
        {
            _pending.Append(value);
            if (value is '\n' or '\r')
            {
                PassOn(_pending.Length);
            }
        }
    }

    public override void Write(string? value)
    {
        lock (_lock)
        {
            _pending.Append(value);
            PassOnWholeLines();
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_lock)
        {
            _pending.Append(buffer, index, count);
            PassOnWholeLines();
        }
    }

    public override void Flush()
    {
        lock (_lock)
        {
            PassOn(_pending.Length);
            _inner.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }

    private void PassOnWholeLines()
    {
        for (int i = _pending.Length - 1; i >= 0; i--)
        {
            if (_pending[i] is '\n' or '\r')
            {
                PassOn(i + 1);
                return;
            }
        }
    }

    private void PassOn(int count)
    {
        if (count == 0)
        {
            return;
        }

        string text = _pending.ToString(0, count);
        _pending.Remove(0, count);
        _inner.Write(_redactor.Redact(text));
    }
}
