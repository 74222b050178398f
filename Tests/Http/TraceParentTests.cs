using System.Security.Cryptography;
using System.Text.RegularExpressions;
using PerfTools.Shared.Http;
using PerfTools.Shared.Tracing;

namespace PerfTools.Tests.Http;

public partial class TraceParentTests
{
    [GeneratedRegex("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$")]
    private static partial Regex HeaderFormat();

    [Test]
    public void Create_SeededRandom_W3cFormatMatchingIds()
    {
        (string traceId, string spanId, string header) = TraceParent.Create(new Random(12345));

        Assert.Multiple(() =>
        {
            Assert.That(header, Does.Match(HeaderFormat()));
            Assert.That(header, Is.EqualTo($"00-{traceId}-{spanId}-01"));
        });
    }

    [Test]
    public void Create_SameSeed_SameIds()
    {
        var first = TraceParent.Create(new Random(7));
        var second = TraceParent.Create(new Random(7));

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Create_ThousandDrawsFromSeededRandom_AllUniqueAndValid()
    {
        var random = new Random(12345);
        var headers = Enumerable.Range(0, 1000).Select(_ => TraceParent.Create(random).Header).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(headers, Is.Unique);
            Assert.That(headers, Has.All.Match(HeaderFormat()));
        });
    }

    [Test]
    public void Create_CryptographicGenerator_W3cFormat()
    {
        using var rng = RandomNumberGenerator.Create();

        Assert.Multiple(() =>
        {
            Assert.That(TraceParent.Create(rng).Header, Does.Match(HeaderFormat()));
            Assert.That(TraceParent.Create().Header, Does.Match(HeaderFormat()));
        });
    }

    [Test]
    public void Create_GeneratorYieldsZerosFirst_RedrawsNonZeroIds()
    {
        (string traceId, string spanId, _) = TraceParent.Create(new ZerosFirstRandom());

        Assert.Multiple(() =>
        {
            Assert.That(traceId, Is.Not.EqualTo(new string('0', 32)));
            Assert.That(spanId, Is.Not.EqualTo(new string('0', 16)));
        });
    }

    [TestCase("4bf92f3577b34da6a3ce929d0e0e4736", ExpectedResult = true)]
    [TestCase("4BF92F3577B34DA6A3CE929D0E0E4736", ExpectedResult = true)]
    [TestCase("00000000000000000000000000000000", ExpectedResult = false)]
    [TestCase("4bf92f3577b34da6a3ce929d0e0e473", ExpectedResult = false)]
    [TestCase("4bf92f3577b34da6a3ce929d0e0e473g", ExpectedResult = false)]
    [TestCase("", ExpectedResult = false)]
    [TestCase(null, ExpectedResult = false)]
    public bool IsValidTraceId_Value_Judged(string? value) => TraceParent.IsValidTraceId(value);

    /// <summary>Answers the first two draws with zeros, as a generator might by chance.</summary>
    private sealed class ZerosFirstRandom : Random
    {
        private int _calls;

        public override void NextBytes(Span<byte> buffer)
        {
            if (_calls++ < 2)
            {
                buffer.Clear();
            }
            else
            {
                buffer.Fill(0xab);
            }
        }
    }
}
