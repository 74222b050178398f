using PerfTools.PerformanceAnalyzer;

namespace PerfTools.Tests.PerformanceAnalyzer;

public class IdExtractorTests
{
    [TestCase("""{"id":42,"name":"b"}""", "42")]
    [TestCase("""{"id":"abc-1"}""", "abc-1")]
    [TestCase("""{"data":{"id":7,"name":"b"}}""", "7")]
    [TestCase("""{"data":{"id":"x7"}}""", "x7")]
    public void FromObject_CreatedShapes_Id(string body, string expected)
    {
        Assert.That(IdExtractor.FromObject(body), Is.EqualTo(expected));
    }

    [TestCase("""[{"id":3},{"id":4}]""", "3")]
    [TestCase("""[{"id":"s3"}]""", "s3")]
    [TestCase("""{"data":[{"id":5,"title":"t"}],"meta":{"total":1}}""", "5")]
    [TestCase("""{"data":[{"name":"no id"},{"id":9}]}""", "9")]
    public void FirstInList_ListShapes_FirstId(string body, string expected)
    {
        Assert.That(IdExtractor.FirstInList(body), Is.EqualTo(expected));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("<html>502 Bad Gateway</html>")]
    [TestCase("not json at all")]
    [TestCase("""{"id":""")]
    [TestCase("""{"id":null}""")]
    [TestCase("""{"id":1.5}""")]
    [TestCase("""{"id":true}""")]
    [TestCase("""{"id":""}""")]
    [TestCase("""{"id":{"nested":1}}""")]
    [TestCase("""{"data":[]}""")]
    [TestCase("""{"data":[{"id":1}]}""")]
    [TestCase("""[{"id":1}]""")]
    [TestCase("42")]
    public void FromObject_Garbage_Null(string? body)
    {
        Assert.That(IdExtractor.FromObject(body), Is.Null);
    }

    [TestCase(null)]
    [TestCase("not json")]
    [TestCase("[]")]
    [TestCase("""{"data":[]}""")]
    [TestCase("""{"data":{"id":1}}""")]
    [TestCase("""{"id":1}""")]
    [TestCase("""[1,2,3]""")]
    [TestCase("""{"items":[{"id":1}]}""")]
    public void FirstInList_Garbage_Null(string? body)
    {
        Assert.That(IdExtractor.FirstInList(body), Is.Null);
    }
}
