using System.Net;
using System.Text;
using static PerfTools.Tests.ForumApi.ForumHttp;

namespace PerfTools.Tests.ForumApi;

/// <summary>Every endpoint's happy path and bad input, over a real socket against one shared forum_api process, on
/// SQLite and on a throwaway PostgreSQL: the same cases, the same replies.</summary>
[TestFixture(ForumBackend.Sqlite)]
[TestFixture(ForumBackend.Postgres, Category = "Slow")]
public sealed class ForumApiEndpointTests(ForumBackend backend)
{
    private ForumBackendApi _backend = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartApi()
    {
        _backend = await ForumBackendApi.StartAsync(backend);
        _client = new HttpClient { BaseAddress = _backend.Api.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        _client?.Dispose();
        if (_backend is not null)
            await _backend.DisposeAsync();
    }

    [Test]
    public async Task Health_Get_ReturnsStatusOk()
    {
        using var response = await _client.GetAsync("health");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)(await ReadJsonAsync(response))["status"], Is.EqualTo("ok"));
    }

    [Test]
    public async Task CreateBoard_ValidBody_Returns201WithBoardAndLocation()
    {
        using var response = await PostJsonAsync(_client, "boards", """{"name":"General","description":"Anything goes"}""");
        var board = await ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var id = (long)board["id"]!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(id, Is.GreaterThan(0));
            Assert.That((string?)board["name"], Is.EqualTo("General"));
            Assert.That((string?)board["description"], Is.EqualTo("Anything goes"));
            Assert.That(DateTimeOffset.TryParse((string?)board["created_at"], out _), Is.True, "created_at is a timestamp");
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/boards/{id}"));
        }

        using var get = await _client.GetAsync($"boards/{id}");
        Assert.That((string?)(await ReadJsonAsync(get))["name"], Is.EqualTo("General"));
    }

    [TestCase("""{"name":""", TestName = "CreateBoard_TruncatedJson_Returns400")]
    [TestCase("not json at all", TestName = "CreateBoard_NotJson_Returns400")]
    [TestCase("""[1,2,3]""", TestName = "CreateBoard_JsonArray_Returns400")]
    [TestCase("""null""", TestName = "CreateBoard_JsonNull_Returns400")]
    [TestCase("""{"name":42}""", TestName = "CreateBoard_NameIsNumber_Returns400")]
    [TestCase("""{"description":"no name"}""", TestName = "CreateBoard_MissingName_Returns400")]
    [TestCase("""{"name":"  ","description":"blank"}""", TestName = "CreateBoard_BlankName_Returns400")]
    public async Task CreateBoard_BadBody_Returns400JsonError(string body)
    {
        using var response = await PostJsonAsync(_client, "boards", body);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task CreateBoard_NotJsonContentType_Returns400()
    {
        using var response = await _client.PostAsync("boards", new StringContent("""{"name":"x"}""", Encoding.UTF8, "text/plain"));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task ListBoards_NoQuery_UsesDefaultPageAndLimit()
    {
        await CreateBoardAsync(_client);

        using var response = await _client.GetAsync("boards");
        var meta = (await ReadJsonAsync(response))["meta"]!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)meta["page"]!, Is.EqualTo(1));
            Assert.That((int)meta["limit"]!, Is.EqualTo(20));
            Assert.That((long)meta["total"]!, Is.GreaterThanOrEqualTo(1));
        }
    }

    [Test]
    public async Task ListBoards_PageAndLimit_MetaAndPageSizesAreConsistent()
    {
        for (var i = 0; i < 5; i++)
            await CreateBoardAsync(_client, $"paged {i}");

        using var first = await _client.GetAsync("boards?page=1&limit=2");
        var firstBody = await ReadJsonAsync(first);
        var total = (long)firstBody["meta"]!["total"]!;
        var totalPages = (long)firstBody["meta"]!["total_pages"]!;

        using var last = await _client.GetAsync($"boards?page={totalPages}&limit=2");
        var lastBody = await ReadJsonAsync(last);
        using var beyond = await _client.GetAsync($"boards?page={totalPages + 1}&limit=2");
        var beyondBody = await ReadJsonAsync(beyond);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(total, Is.GreaterThanOrEqualTo(5));
            Assert.That(totalPages, Is.EqualTo((total + 1) / 2));
            Assert.That(firstBody["data"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That((int)firstBody["meta"]!["page"]!, Is.EqualTo(1));
            Assert.That((int)firstBody["meta"]!["limit"]!, Is.EqualTo(2));
            Assert.That(lastBody["data"]!.AsArray(), Has.Count.EqualTo(total - (2 * (totalPages - 1))));
            Assert.That((long)lastBody["meta"]!["page"]!, Is.EqualTo(totalPages));
            Assert.That(beyondBody["data"]!.AsArray(), Is.Empty);
        }
    }

    [TestCase("page=0")]
    [TestCase("page=-1")]
    [TestCase("page=abc")]
    [TestCase("limit=0")]
    [TestCase("limit=101")]
    [TestCase("limit=ten")]
    public async Task ListBoards_BadPageOrLimit_Returns400(string query)
    {
        using var response = await _client.GetAsync($"boards?{query}");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [TestCase("boards/999999")]
    [TestCase("boards/abc")]
    [TestCase("boards/999999/posts")]
    [TestCase("boards/abc/posts")]
    [TestCase("posts/999999")]
    [TestCase("posts/-3")]
    [TestCase("posts/999999/comments")]
    [TestCase("posts/x/comments")]
    [TestCase("no/such/route")]
    public async Task Get_UnknownOrNonNumericId_Returns404JsonError(string path)
    {
        using var response = await _client.GetAsync(path);

        await AssertErrorAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task CreatePost_ValidBody_Returns201AndCanBeRead()
    {
        var boardId = await CreateBoardAsync(_client);

        using var response = await PostJsonAsync(_client, "posts",
            $$"""{"board_id":{{boardId}},"title":"Hello","content":"First post","author":"alice"}""");
        var post = await ReadJsonAsync(response);
        var id = (long)post["id"]!;
        using var get = await _client.GetAsync($"posts/{id}");
        var read = await ReadJsonAsync(get);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/posts/{id}"));
            Assert.That((long)post["board_id"]!, Is.EqualTo(boardId));
            Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string?)read["title"], Is.EqualTo("Hello"));
            Assert.That((string?)read["content"], Is.EqualTo("First post"));
            Assert.That((string?)read["author"], Is.EqualTo("alice"));
        }
    }

    [Test]
    public async Task CreatePost_UnknownBoard_Returns404()
    {
        using var response = await PostJsonAsync(_client, "posts", """{"board_id":999999,"title":"t","content":"c","author":"a"}""");

        await AssertErrorAsync(response, HttpStatusCode.NotFound);
    }

    [TestCase("""{"title":"t","content":"c","author":"a"}""", TestName = "CreatePost_MissingBoardId_Returns400")]
    [TestCase("""{"board_id":1,"content":"c","author":"a"}""", TestName = "CreatePost_MissingTitle_Returns400")]
    [TestCase("""{"board_id":1,"title":"t","content":"","author":"a"}""", TestName = "CreatePost_EmptyContent_Returns400")]
    [TestCase("""{"board_id":1,"title":"t","content":"c"}""", TestName = "CreatePost_MissingAuthor_Returns400")]
    [TestCase("""{"board_id":"one","title":"t","content":"c","author":"a"}""", TestName = "CreatePost_BoardIdNotNumber_Returns400")]
    [TestCase("""{"board_id":1,""", TestName = "CreatePost_TruncatedJson_Returns400")]
    public async Task CreatePost_BadBody_Returns400JsonError(string body)
    {
        using var response = await PostJsonAsync(_client, "posts", body);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task ListBoardPosts_PostsWithComments_ReturnsEachWithCommentCount()
    {
        var boardId = await CreateBoardAsync(_client);
        var quiet = await CreatePostAsync(_client, boardId, "quiet");
        var busy = await CreatePostAsync(_client, boardId, "busy");
        for (var i = 0; i < 3; i++)
            await CreateCommentAsync(_client, busy);

        using var response = await _client.GetAsync($"boards/{boardId}/posts");
        var posts = (await ReadJsonAsync(response))["data"]!.AsArray();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(posts.Select(p => ((long)p!["id"]!, (long)p["comment_count"]!)),
            Is.EqualTo(new[] { (quiet, 0L), (busy, 3L) }));
    }

    [Test]
    public async Task CreateComment_ValidBody_Returns201AndIsListed()
    {
        var postId = await CreatePostAsync(_client, await CreateBoardAsync(_client));

        using var response = await PostJsonAsync(_client, "comments", $$"""{"post_id":{{postId}},"content":"Agreed","author":"carol"}""");
        var comment = await ReadJsonAsync(response);
        using var list = await _client.GetAsync($"posts/{postId}/comments");
        var comments = (await ReadJsonAsync(list))["data"]!.AsArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((long)comment["post_id"]!, Is.EqualTo(postId));
            Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(comments, Has.Count.EqualTo(1));
            Assert.That((string?)comments[0]!["content"], Is.EqualTo("Agreed"));
            Assert.That((string?)comments[0]!["author"], Is.EqualTo("carol"));
            Assert.That((long)comments[0]!["id"]!, Is.EqualTo((long)comment["id"]!));
        }
    }

    [Test]
    public async Task CreateComment_UnknownPost_Returns404()
    {
        using var response = await PostJsonAsync(_client, "comments", """{"post_id":999999,"content":"c","author":"a"}""");

        await AssertErrorAsync(response, HttpStatusCode.NotFound);
    }

    [TestCase("""{"content":"c","author":"a"}""", TestName = "CreateComment_MissingPostId_Returns400")]
    [TestCase("""{"post_id":1,"author":"a"}""", TestName = "CreateComment_MissingContent_Returns400")]
    [TestCase("""{"post_id":1,"content":"c","author":""}""", TestName = "CreateComment_EmptyAuthor_Returns400")]
    [TestCase("""{"post_id":1.5,"content":"c","author":"a"}""", TestName = "CreateComment_FractionalPostId_Returns400")]
    [TestCase("""}{""", TestName = "CreateComment_BrokenJson_Returns400")]
    public async Task CreateComment_BadBody_Returns400JsonError(string body)
    {
        using var response = await PostJsonAsync(_client, "comments", body);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task ListComments_PostWithoutComments_ReturnsEmptyData()
    {
        var postId = await CreatePostAsync(_client, await CreateBoardAsync(_client));

        using var response = await _client.GetAsync($"posts/{postId}/comments");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await ReadJsonAsync(response))["data"]!.AsArray(), Is.Empty);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), text);
        var error = (string?)System.Text.Json.Nodes.JsonNode.Parse(text)!["error"];
        Assert.That(error, Is.Not.Null.And.Not.Empty, text);
        Assert.That(text, Does.Not.Contain("   at "), "no stack trace in error bodies");
    }
}
