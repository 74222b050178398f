using System.Globalization;
using Newtonsoft.Json.Linq;

namespace PerfTools.Tests.Fakes;

/// <summary>A page loaded by <see cref="HeadlessChromium.OpenAsync"/> with the page's JavaScript disabled: the
/// requests it made, the rendered text of its elements, a full-page screenshot and a PDF print. Dispose closes the tab.</summary>
/// <remarks>Text is read with <c>Runtime.evaluate</c>, which DevTools runs even while
/// <c>Emulation.setScriptExecutionDisabled</c> stops every script of the page itself; <c>innerText</c> is the text
/// as laid out and shown (hidden elements give none), not the markup.</remarks>
public sealed class ChromiumPage : IAsyncDisposable
{
    /// <summary>The viewport the page is laid out in (CSS pixels); screenshots are as wide and as tall as the page.</summary>
    public const int ViewportWidth = 1280;

    public const int ViewportHeight = 900;

    /// <summary>Screenshots stop here, so a runaway page cannot ask for a gigapixel image.</summary>
    private const int MaxScreenshotHeight = 16_000;

    private readonly CdpConnection _cdp;
    private readonly string _targetId;
    private readonly string _sessionId;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RequestState> _requests = new(StringComparer.Ordinal);
    private readonly List<PageRequest> _redirected = [];
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;
    private int _order;

    private ChromiumPage(CdpConnection cdp, string targetId, string sessionId, Uri url)
    {
        _cdp = cdp;
        _targetId = targetId;
        _sessionId = sessionId;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>Every request the page made, in the order made (a redirect's hops each once).</summary>
    public IReadOnlyList<PageRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _redirected, .. _requests.Values.OrderBy(r => r.Order).Select(r => r.ToRecord())];
            }
        }
    }

    /// <summary>The requests that failed or were answered with a status of 400 or more.</summary>
    public IReadOnlyList<PageRequest> FailedRequests => Requests.Where(r => r.Failed).ToList();

    /// <summary>Opens a new tab, disables its scripts, navigates to <paramref name="url"/> and waits for the load event
    /// and for every request started by then to end.</summary>
    internal static async Task<ChromiumPage> OpenAsync(CdpConnection cdp, Uri url, CancellationToken ct)
    {
        JObject created = await cdp.SendAsync("Target.createTarget", new JObject { ["url"] = "about:blank" }, ct: ct);
        string targetId = (string)created["targetId"]!;
        JObject attached = await cdp.SendAsync("Target.attachToTarget", new JObject { ["targetId"] = targetId, ["flatten"] = true }, ct: ct);
        var page = new ChromiumPage(cdp, targetId, (string)attached["sessionId"]!, url);
        try
        {
            await page.LoadAsync(ct);
        }
        catch
        {
            await page.DisposeAsync();
            throw;
        }

        return page;
    }

    /// <summary>The rendered text (<c>innerText</c>) of the element with <paramref name="id"/>, or null when there is none.</summary>
    public async Task<string?> TextAsync(string id, CancellationToken ct = default)
    {
        JToken? value = await EvaluateAsync(
            $"(() => {{ const e = document.getElementById({Quote(id)}); return e ? e.innerText : null; }})()", ct);
        return value?.Type == JTokenType.String ? (string?)value : null;
    }

    /// <summary>The rendered text of the whole page.</summary>
    public async Task<string> BodyTextAsync(CancellationToken ct = default) =>
        (string?)await EvaluateAsync("document.body ? document.body.innerText : ''", ct) ?? "";

    /// <summary>The rows of the table with <paramref name="id"/> (its header row first), each the rendered text of its
    /// cells; null when there is no such table.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<string>>?> TableAsync(string id, CancellationToken ct = default)
    {
        JToken? value = await EvaluateAsync(
            $"(() => {{ const t = document.getElementById({Quote(id)}); " +
            "return t && t.rows ? Array.from(t.rows, r => Array.from(r.cells, c => c.innerText)) : null; })()", ct);
        return value is JArray rows
            ? rows.Select(r => (IReadOnlyList<string>)r.Select(c => (string?)c ?? "").ToList()).ToList()
            : null;
    }

    /// <summary>The ids of every element that has one, in document order.</summary>
    public async Task<IReadOnlyList<string>> IdsAsync(CancellationToken ct = default)
    {
        JToken? value = await EvaluateAsync("Array.from(document.querySelectorAll('[id]'), e => e.id)", ct);
        return value is JArray ids ? ids.Select(i => (string?)i ?? "").ToList() : [];
    }

    /// <summary>A PNG of the whole page (not only the viewport), at one device pixel per CSS pixel.</summary>
    public async Task<byte[]> ScreenshotAsync(CancellationToken ct = default)
    {
        JObject metrics = await SendAsync("Page.getLayoutMetrics", null, ct);
        var size = (JObject)(metrics["cssContentSize"] ?? metrics["contentSize"])!;
        double width = Math.Max(1, Math.Ceiling((double)size["width"]!));
        double height = Math.Clamp(Math.Ceiling((double)size["height"]!), 1, MaxScreenshotHeight);
        JObject shot = await SendAsync("Page.captureScreenshot", new JObject
        {
            ["format"] = "png",
            ["captureBeyondViewport"] = true,
            ["clip"] = new JObject { ["x"] = 0, ["y"] = 0, ["width"] = width, ["height"] = height, ["scale"] = 1 },
        }, ct);
        return Convert.FromBase64String((string)shot["data"]!);
    }

    /// <summary>The page printed to PDF as the print dialog would (A4, the page's <c>@media print</c> styles, backgrounds off).</summary>
    public async Task<byte[]> PdfAsync(CancellationToken ct = default)
    {
        JObject pdf = await SendAsync("Page.printToPDF", new JObject
        {
            ["paperWidth"] = 8.27, // A4, inches
            ["paperHeight"] = 11.69,
            ["printBackground"] = false,
        }, ct);
        return Convert.FromBase64String((string)pdf["data"]!);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _cdp.Unsubscribe(_sessionId);
        try
        {
            await _cdp.SendAsync("Target.closeTarget", new JObject { ["targetId"] = _targetId });
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            // the browser is going away anyway; HeadlessChromium kills it
        }
    }

    public override string ToString() => $"{Url}: {string.Join("; ", Requests)}";

    private async Task LoadAsync(CancellationToken ct)
    {
        _cdp.Subscribe(_sessionId, OnEvent);
        await SendAsync("Page.enable", null, ct);
        await SendAsync("Network.enable", null, ct);
        // Proves the page needs no JavaScript: nothing of its own runs.
        await SendAsync("Emulation.setScriptExecutionDisabled", new JObject { ["value"] = true }, ct);
        await SendAsync("Emulation.setDeviceMetricsOverride", new JObject
        {
            ["width"] = ViewportWidth, ["height"] = ViewportHeight, ["deviceScaleFactor"] = 1, ["mobile"] = false,
        }, ct);
        JObject navigated = await SendAsync("Page.navigate", new JObject { ["url"] = Url.AbsoluteUri }, ct);
        if (navigated["errorText"] is JValue { Type: JTokenType.String } error && ((string?)error)?.Length > 0)
        {
            throw new InvalidOperationException($"Chromium could not open {Url}: {error}");
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(_cdp.CallTimeout);
        try
        {
            await _loaded.Task.WaitAsync(limit.Token);
            // Requests started before the load event (images, say) may still be finishing.
            while (!limit.IsCancellationRequested && Pending() > 0)
            {
                await Task.Delay(50, limit.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"{Url} did not finish loading within {_cdp.CallTimeout.TotalSeconds} s: {this}"));
        }
    }

    private int Pending()
    {
        lock (_lock)
        {
            return _requests.Values.Count(r => !r.Ended);
        }
    }

    private void OnEvent(string method, JObject p)
    {
        switch (method)
        {
            case "Page.loadEventFired":
                _loaded.TrySetResult();
                return;
            case "Network.requestWillBeSent":
                lock (_lock)
                {
                    string id = (string)p["requestId"]!;
                    if (_requests.TryGetValue(id, out var previous) && p["redirectResponse"] is JObject redirect)
                    {
                        // The same id carries every hop of a redirect; keep the hop that was answered with a redirect.
                        _redirected.Add(previous.ToRecord() with { Status = (int?)redirect["status"] });
                    }

                    _requests[id] = new RequestState(ShortUrl((string)p["request"]!["url"]!), (string?)p["type"], _order++);
                }

                return;
            case "Network.responseReceived":
                Update(p, r => r.Status = (int?)p["response"]!["status"]);
                return;
            case "Network.loadingFinished":
                Update(p, r => r.Ended = true);
                return;
            case "Network.loadingFailed":
                Update(p, r =>
                {
                    r.Ended = true;
                    r.Failure = (string?)p["blockedReason"] is { } blocked ? $"blocked: {blocked} ({p["errorText"]})" : (string?)p["errorText"] ?? "failed";
                });
                return;
        }
    }

    private void Update(JObject p, Action<RequestState> update)
    {
        lock (_lock)
        {
            if (_requests.TryGetValue((string)p["requestId"]!, out var request))
            {
                update(request);
            }
        }
    }

    private Task<JObject> SendAsync(string method, JObject? parameters, CancellationToken ct) =>
        _cdp.SendAsync(method, parameters, _sessionId, ct);

    private async Task<JToken?> EvaluateAsync(string expression, CancellationToken ct)
    {
        JObject result = await SendAsync("Runtime.evaluate", new JObject
        {
            ["expression"] = expression, ["returnByValue"] = true,
        }, ct);
        if (result["exceptionDetails"] is JObject exception)
        {
            throw new InvalidOperationException($"evaluating in {Url} failed: {exception["text"]} {exception["exception"]?["description"]}");
        }

        return result["result"]?["value"];
    }

    /// <summary>A JavaScript string literal of <paramref name="text"/>.</summary>
    private static string Quote(string text) => Newtonsoft.Json.JsonConvert.ToString(text);

    private static string ShortUrl(string url) =>
        url.StartsWith("data:", StringComparison.Ordinal) && url.Length > 64 ? url[..64] + "…" : url;

    private sealed class RequestState(string url, string? type, int order)
    {
        public int Order { get; } = order;

        public int? Status { get; set; }

        public string? Failure { get; set; }

        public bool Ended { get; set; }

        public PageRequest ToRecord() => new(url, type, Status, Failure);
    }
}
