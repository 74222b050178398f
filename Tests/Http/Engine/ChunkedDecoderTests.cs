using System.Text;
using PerfTools.Shared.Http.Engine;

namespace PerfTools.Tests.Http.Engine;

public class ChunkedDecoderTests
{
    /// <summary>Feeds <paramref name="wire"/> in pieces of <paramref name="piece"/> bytes; returns the data and how
    /// many bytes were left after the body ended.</summary>
    private static (string Data, int Left, bool Done) Decode(string wire, int piece)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(wire);
        var decoder = new ChunkedDecoder();
        var data = new StringBuilder();
        int position = 0;
        while (position < bytes.Length && !decoder.IsDone)
        {
            int end = Math.Min(bytes.Length, position + piece);
            while (position < end && !decoder.IsDone)
            {
                int used = decoder.Decode(bytes.AsSpan(position, end - position), out int offset, out int length);
                data.Append(Encoding.ASCII.GetString(bytes, position + offset, length));
                position += used;
            }
        }

        return (data.ToString(), bytes.Length - position, decoder.IsDone);
    }

    [TestCase("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world")]
    [TestCase("5;name=\"x;y\"\r\nhello\r\n0\r\n\r\n", "hello")]
    [TestCase("A \r\n0123456789\r\n0\r\nTrailer: 1\r\nOther: 2\r\n\r\n", "0123456789")]
    [TestCase("5\nhello\n0\n\n", "hello")]
    [TestCase("0\r\n\r\n", "")]
    [TestCase("fF\r\n" + "255 bytes", null)]
    public void Decode_AnySplit_SameData(string wire, string? expected)
    {
        if (expected is null)
        {
            wire = "ff\r\n" + new string('x', 255) + "\r\n0\r\n\r\n";
            expected = new string('x', 255);
        }

        for (int piece = 1; piece <= wire.Length; piece++)
        {
            (string data, int left, bool done) = Decode(wire + "NEXT", piece);
            Assert.Multiple(() =>
            {
                Assert.That(data, Is.EqualTo(expected), $"pieces of {piece}");
                Assert.That(done, Is.True, $"pieces of {piece}");
                Assert.That(left, Is.EqualTo(4), $"pieces of {piece}: what follows the body is not consumed");
            });
        }
    }

    [TestCase("5\r\nhello")]
    [TestCase("5\r\nhello\r\n")]
    [TestCase("0\r\nTrailer: 1\r\n")]
    public void Decode_BodyCutShort_NotDone(string wire) => Assert.That(Decode(wire, 3).Done, Is.False);

    [TestCase("\r\n")]
    [TestCase("g\r\n")]
    [TestCase("5x\r\nhello")]
    [TestCase("5\rhello")]
    [TestCase("5\r\nhelloX\r\n")]
    [TestCase("1000000000000000\r\n")]
    public void Decode_MalformedFraming_InvalidResponse(string wire)
    {
        var e = Assert.Throws<HttpIOException>(() => Decode(wire, wire.Length));

        Assert.That(e!.HttpRequestError, Is.EqualTo(HttpRequestError.InvalidResponse));
    }

    [Test]
    public void Decode_EndlessTrailers_LimitExceeded()
    {
        string wire = "0\r\n" + string.Concat(Enumerable.Repeat("X-Trailer: aaaaaaaaaaaaaaaaaaaa\r\n", 3000));

        var e = Assert.Throws<HttpIOException>(() => Decode(wire, 4096));

        Assert.That(e!.HttpRequestError, Is.EqualTo(HttpRequestError.ConfigurationLimitExceeded));
    }
}
