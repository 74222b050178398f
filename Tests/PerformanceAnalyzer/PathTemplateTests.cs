using PerfTools.PerformanceAnalyzer;

namespace PerfTools.Tests.PerformanceAnalyzer;

public class PathTemplateTests
{
    [TestCase("GET", "/boards", "GET /boards")]
    [TestCase("post", "/boards", "POST /boards")]
    [TestCase("GET", "/boards/42", "GET /boards/{id}")]
    [TestCase("GET", "/boards/42/posts", "GET /boards/{id}/posts")]
    [TestCase("GET", "/posts/7/comments?page=2", "GET /posts/{id}/comments")]
    [TestCase("GET", "/items/3f2504e0-4f89-11d3-9a0c-0305e82c3301", "GET /items/{id}")]
    [TestCase("GET", "/v2/boards", "GET /v2/boards")]
    [TestCase("GET", "/", "GET /")]
    public void Label_Path_MethodAndTemplate(string method, string path, string expected)
    {
        Assert.That(PathTemplate.Label(method, path), Is.EqualTo(expected));
    }
}
