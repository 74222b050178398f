using System.Text.Json;
using PerfTools.Shared.Http;
using PerfTools.Shared.Text;

namespace PerfTools.PerformanceAnalyzer;

/// <summary>The <c>--test-all</c> scenario, in the original script's order: health, boards (list, create, one,
/// its posts), posts (create, one, its comments) and <c>/slow</c>; each step after a create follows the id it made.</summary>
/// <remarks>
/// A step that cannot run (no id to put in its path) is skipped with one line saying why; only the steps that
/// depend on the missing id are skipped.
/// <para>With <c>--warmup auto</c> the walk runs twice: first every step's warm-up alone, in order (following the ids
/// its warm-ups created), then every step's measured requests. So the first endpoint is measured after the server
/// has served the whole walk, not seconds after it started. Measured (bench/verdicts.sh, A/A pairs of unchanged
/// runs): warmed and measured one endpoint at a time, the first walk after the server started read `faster` in the
/// second run on the endpoints measured first (GET /health, GET /boards, POST /boards) in 3 to 4 of 5 fresh-process
/// pairs, even with each warm-up lasting 1 s, while a walk that followed another walk never did.</para>
/// </remarks>
internal sealed class ForumWalk(EndpointRunner runner, AnalyzerSettings settings, TextWriter output)
{
    /// <summary>At most this many requests go to the ~500 ms endpoint. The original script sent two, but with two
    /// samples a side no comparison with a baseline can be significant (the smallest exact Mann-Whitney p is 1/3);
    /// with five it can reach 0.008, but the walk's nine comparisons are one family and Holm–Bonferroni multiplies the
    /// smallest p by 9 (0.071: a fix of /slow from 500 to 2 ms read "no significant change" in ./demo). With eight the
    /// smallest is 2/12870 = 0.00016, 0.0014 after Holm, and /slow still costs about 4 s.</summary>
    public const int SlowIterations = 8;

    private const int ExcerptChars = 60;

    // Unique per run, so repeated runs against one database never collide on names.
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];

    private EndpointStage _stage = EndpointStage.Both;

    /// <returns>The first request when it found no server (the walk stopped there), else null.</returns>
    public async Task<RequestResult?> RunAsync(CancellationToken ct)
    {
        if (settings.Warmup is not null)
        {
            return await WalkAsync(ct).ConfigureAwait(false);
        }

        _stage = EndpointStage.WarmupOnly;
        RequestResult? noServer = await WalkAsync(ct).ConfigureAwait(false);
        if (noServer is not null || ct.IsCancellationRequested)
        {
            return noServer;
        }

        _stage = EndpointStage.MeasureOnly;
        return await WalkAsync(ct).ConfigureAwait(false);
    }

    private async Task<RequestResult?> WalkAsync(CancellationToken ct)
    {
        int n = settings.Iterations;
        EndpointRun health = await Run(Get("/health", "/health", n), ct, stopIfNoServer: true);
        if (health.Unreachable)
        {
            return health.Probe;
        }

        EndpointRun boardList = await Run(List("/boards", "/boards", n), ct);
        EndpointRun boardCreate = await Run(Post("/boards", n, _ => BoardBody()), ct);
        if (ct.IsCancellationRequested)
        {
            return null;
        }

        // Bodies that passed their step's check: read leniently, since one may be cut at the kept-body limit.
        string? boardId = IdExtractor.FromObject(boardCreate.FirstSuccessBody, complete: false)
            ?? IdExtractor.FirstInList(boardList.FirstSuccessBody, complete: false);
        EndpointRun? boardPosts = null;
        EndpointRun? postCreate = null;
        if (boardId is null)
        {
            string why = $"no board id ({Created("POST /boards", boardCreate)}, {Listed("GET /boards", boardList)})";
            Skip("GET /boards/{id}", why);
            Skip("GET /boards/{id}/posts", why);
            Skip("POST /posts", why);
        }
        else
        {
            string board = Uri.EscapeDataString(boardId);
            await Run(Get($"/boards/{board}", "/boards/{id}", n), ct);
            boardPosts = await Run(List($"/boards/{board}/posts", "/boards/{id}/posts", n), ct);
            postCreate = await Run(Post("/posts", n, _ => PostBody(boardId)), ct);
        }

        if (ct.IsCancellationRequested)
        {
            return null;
        }

        string? postId = IdExtractor.FromObject(postCreate?.FirstSuccessBody, complete: false)
            ?? IdExtractor.FirstInList(boardPosts?.FirstSuccessBody, complete: false);
        if (postId is null)
        {
            string why = boardId is null
                ? "no post id (no board to create or list posts in)"
                : $"no post id ({Created("POST /posts", postCreate!)}, {Listed("GET /boards/{id}/posts", boardPosts!)})";
            Skip("GET /posts/{id}", why);
            Skip("GET /posts/{id}/comments", why);
        }
        else
        {
            string post = Uri.EscapeDataString(postId);
            await Run(Get($"/posts/{post}", "/posts/{id}", n), ct);
            await Run(Get($"/posts/{post}/comments", "/posts/{id}/comments", n), ct);
        }

        await Run(Get("/slow", "/slow", Math.Min(SlowIterations, settings.Iterations)), ct);
        return null;
    }

    private async Task<EndpointRun> Run(EndpointPlan plan, CancellationToken ct, bool stopIfNoServer = false) =>
        ct.IsCancellationRequested
            ? new EndpointRun(null, null, false, null)
            : await runner.RunAsync(plan, stopIfNoServer, ct, _stage).ConfigureAwait(false);

    private EndpointPlan Get(string path, string template, int iterations)
    {
        var spec = new RequestSpec($"GET {template}", "GET", settings.UrlFor(path), settings.Headers);
        return new EndpointPlan(spec.Label, _ => spec, iterations);
    }

    /// <summary>A list the walk reads ids from: a 2xx answer that is not a JSON list (HTML from a proxy, truncated
    /// JSON, another shape) counts as a <see cref="ErrorKind.Parse"/> error; an empty list is fine.</summary>
    private EndpointPlan List(string path, string template, int iterations)
    {
        var spec = new RequestSpec($"GET {template}", "GET", settings.UrlFor(path), settings.Headers);
        return new EndpointPlan(spec.Label, _ => spec, iterations, KeepBody: true,
            Check: (result, text) => ParseError(result, text, IdExtractor.CheckList(text, Complete(result)).Problem));
    }

    /// <summary>A create: every measured request makes one object, and a 2xx answer without an id counts as a
    /// <see cref="ErrorKind.Parse"/> error, since the steps after it cannot follow it.</summary>
    private EndpointPlan Post(string path, int iterations, Func<int, byte[]> body)
    {
        string label = $"POST {path}";
        Uri url = settings.UrlFor(path);
        return new EndpointPlan(
            label,
            i => new RequestSpec(label, "POST", url, settings.Headers, body(i)),
            iterations,
            KeepBody: true,
            Check: (result, text) => ParseError(result, text, IdExtractor.CheckObject(text, Complete(result)).Problem));
    }

    /// <summary>Whether the kept text is the whole body, not its first <see cref="EndpointRunner.KeptBodyBytes"/>.</summary>
    private static bool Complete(RequestResult result) => result.Bytes <= EndpointRunner.KeptBodyBytes;

    private static RequestResult ParseError(RequestResult result, string? text, string? problem) => problem is null
        ? result
        : result with { Error = ErrorKind.Parse, ErrorMessage = $"HTTP {result.StatusCode}, {problem}: {Excerpt(text)}" };

    private byte[] BoardBody() => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["name"] = $"perf-board-{_runId}-{Guid.NewGuid().ToString("N")[..8]}",
        ["description"] = "created by performance_analyzer --test-all",
    });

    private static byte[] PostBody(string boardId) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        // The id goes back in the type it came in: a number stays a number.
        ["board_id"] = long.TryParse(boardId, out long numeric) ? numeric : boardId,
        ["title"] = "performance_analyzer post",
        ["content"] = "created by performance_analyzer --test-all",
        ["author"] = "performance_analyzer",
    });

    /// <summary>Says why a step is skipped; the warm-up walk keeps quiet, since the measured walk says it again.</summary>
    private void Skip(string label, string why)
    {
        if (_stage != EndpointStage.WarmupOnly)
        {
            output.WriteLine($"skipped {label}: {why}");
        }
    }

    /// <summary>Why a create gave no id, e.g. "POST /boards answered 404".</summary>
    private static string Created(string label, EndpointRun run) => run.FirstFailure switch
    {
        { Error: ErrorKind.Parse } f => $"{label} answered {f.StatusCode} without an id",
        { HasResponse: true } f => $"{label} answered {f.StatusCode}",
        { } f => $"{label} failed ({f.Error})",
        null => $"{label} gave no id",
    };

    /// <summary>Why a list gave no id, e.g. "GET /boards listed none".</summary>
    private static string Listed(string label, EndpointRun run) => run switch
    {
        { FirstSuccessBody: not null } => $"{label} listed none",
        { FirstFailure: { Error: ErrorKind.Parse } f } => $"{label} answered {f.StatusCode} without a list",
        { FirstFailure: { HasResponse: true } f } => $"{label} answered {f.StatusCode}",
        { FirstFailure: { } f } => $"{label} failed ({f.Error})",
        _ => $"{label} gave no list",
    };

    private static string Excerpt(string? body)
    {
        string text = SafeText.OneLine(body ?? "").Trim();
        return text.Length == 0 ? "(empty)" : text.Length <= ExcerptChars ? text : text[..ExcerptChars] + "…";
    }
}
