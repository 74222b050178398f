using PerfTools.Shared.Cli;

namespace PerfTools.Tests.Cli;

/// <summary><see cref="RedactingWriter"/> masks what passes through it a line at a time, so a secret written in pieces
/// is still seen whole, and a progress line rewritten with '\r' still shows.</summary>
public sealed class RedactingWriterTests
{
    private const string HeaderToken = "hdr-SECRET-6b1f0c93";

    [Test]
    public void Write_SecretWrittenInPieces_MaskedProgressLineKept()
    {
        using var inner = new StringWriter();
        using (var writer = new Redactor([HeaderToken]).Wrap(inner))
        {
            writer.Write("token hdr-SEC");
            writer.Write("RET-6b1f0c93");
            writer.WriteLine(" done");
            writer.Write("\rprogress 1/3");
            writer.Flush();
            Assert.That(inner.ToString(), Is.EqualTo("token *** done\n\rprogress 1/3"), "flushed text passes at once");
            writer.Write("\rtail ");
            writer.Write(HeaderToken[..5]);
        }

        Assert.That(inner.ToString(), Does.EndWith("\rtail hdr-S"), "dispose flushes the rest");
    }

    [Test]
    public void Write_CharByChar_MaskedWhenTheLineEnds()
    {
        using var inner = new StringWriter();
        using var writer = new Redactor([HeaderToken]).Wrap(inner);

        foreach (char c in $"a {HeaderToken} b\n")
        {
            writer.Write(c);
        }

        Assert.That(inner.ToString(), Is.EqualTo("a *** b\n"));
    }

    [Test]
    public void Dispose_InnerWriter_LeftOpen()
    {
        using var inner = new StringWriter();
        new Redactor([HeaderToken]).Wrap(inner).Dispose();

        Assert.That(() => inner.Write("still open"), Throws.Nothing);
    }
}
