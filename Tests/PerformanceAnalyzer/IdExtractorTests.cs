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

    [TestCase("[]", null)]
    [TestCase("""{"data":[],"meta":{"total":0}}""", null)]
    [TestCase("""[1,2,3]""", null)]
    [TestCase("""{"data":[{"id":2}]}""", "2")]
    public void CheckList_WholeList_NoProblem(string body, string? id)
    {
        Assert.That(IdExtractor.CheckList(body, complete: true), Is.EqualTo((id, (string?)null)));
    }

    [TestCase("<html><body>502 Bad Gateway</body></html>", "not JSON")]
    [TestCase("", "empty body")]
    [TestCase("""{"data":[{"id":1},""", "truncated or malformed JSON")]
    [TestCase("""[{"id":1}] and more""", "malformed JSON")]
    [TestCase("""{"items":[{"id":1}]}""", "JSON without a list ([…] or {\"data\":[…]})")]
    [TestCase("""{"data":{"id":1}}""", "JSON without a list ([…] or {\"data\":[…]})")]
    [TestCase("42", "JSON without a list ([…] or {\"data\":[…]})")]
    public void CheckList_NotAList_Problem(string body, string problem)
    {
        Assert.That(IdExtractor.CheckList(body, complete: true), Is.EqualTo(((string?)null, problem)));
    }

    [TestCase("""{"name":"b"}""", "JSON without an id")]
    [TestCase("""[{"id":1}]""", "JSON but not an object")]
    [TestCase("""{"id":7""", "truncated or malformed JSON")]
    public void CheckObject_NoId_Problem(string body, string problem)
    {
        Assert.That(IdExtractor.CheckObject(body, complete: true), Is.EqualTo(((string?)null, problem)));
    }

    [TestCase("""{"data":[{"id":41,"name":"cut he""", "41")]
    [TestCase("""[{"name":"a"},{"id":"b-2","description":"xxxx""", "b-2")]
    [TestCase("""{"meta":{"total":1},"da""", null)]
    public void CheckList_AnswerCutAtTheKeptLimit_IdsFromTheStartNoProblem(string start, string? id)
    {
        Assert.Multiple(() =>
        {
            Assert.That(IdExtractor.CheckList(start, complete: false), Is.EqualTo((id, (string?)null)));
            Assert.That(IdExtractor.CheckList(start, complete: true).Problem, Is.EqualTo("truncated or malformed JSON"),
                "the same text as a whole answer is truncated");
        });
    }

    [TestCase("<html>", "not JSON")]
    [TestCase("""{"data":[}""", "truncated or malformed JSON")]
    public void CheckList_CutAnswerBrokenInItsStart_Problem(string start, string problem)
    {
        Assert.That(IdExtractor.CheckList(start, complete: false).Problem, Is.EqualTo(problem));
    }

    [Test]
    public void CheckObject_AnswerCutAfterTheId_Id()
    {
        Assert.Multiple(() =>
        {
            Assert.That(IdExtractor.CheckObject("""{"id":5,"description":"xxxxx""", complete: false), Is.EqualTo(("5", (string?)null)));
            Assert.That(IdExtractor.CheckObject("""{"description":"xxxxx""", complete: false).Problem, Is.EqualTo("no id in the part of the answer kept"));
        });
    }
}
