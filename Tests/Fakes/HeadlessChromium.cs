using System.Diagnostics;
using System.Globalization;
using System.Text;
using Newtonsoft.Json.Linq;

namespace PerfTools.Tests.Fakes;

/// <summary>A real headless Chromium (Debian's <c>chromium</c>) with a fresh profile, driven over the Chrome DevTools
/// Protocol, for checking that a report page renders from <c>file://</c> without JavaScript or network.</summary>
/// <example>
/// <code>
/// await using var chrome = await HeadlessChromium.StartAsync(ct);  // Assert.Ignore when chromium is missing (not root)
/// await using var page = await chrome.OpenFileAsync(htmlPath, ct);  // file://, loaded, the page's scripts disabled
/// PageAssert.OnlyItselfAndDataUris(page);                            // no fetch but data: URIs, nothing failed
/// IReadOnlyList&lt;IReadOnlyList&lt;string&gt;&gt;? rows = await page.TableAsync("findings", ct); // header row first, cells as shown
/// string? verdict = await page.TextAsync("verdict", ct);               // any element by id
/// PageAssert.NotBlank(await page.ScreenshotAsync(ct));               // the whole page as PNG
/// PageAssert.Pdf(await page.PdfAsync(ct));                           // printed (A4, print styles)
/// </code>
/// </example>
/// <remarks>
/// Started with exactly the flags of issue 7 (<see cref="Flags"/>) plus what DevTools needs: <c>--remote-debugging-port=0</c>
/// (Chromium picks a free port and writes it, with the browser's websocket path, to <c>DevToolsActivePort</c> in the
/// profile) and the profile folder. Every DevTools call waits at most <see cref="CallTimeout"/>; dispose closes the
/// browser, kills what is left of its process tree, and deletes the profile. Debian's <c>/usr/bin/chromium</c> wrapper
/// adds its own default flags and prints a harmless <c>[: …: unexpected operator</c> line, which is dropped from
/// <see cref="Output"/>.
/// </remarks>
public sealed class HeadlessChromium : IAsyncDisposable
{
    /// <summary>The flags issue 7 names; the tests' browser runs with these and no other option of its own.</summary>
    public static readonly IReadOnlyList<string> Flags =
        ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"];

    /// <summary>How long one DevTools call (a page load included) may take; generous, since the test machine's cores are shared.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private const int MaxOutputLines = 200;

    private readonly Process _process;
    private readonly string _profile;
    private readonly Queue<string> _output = new();
    private CdpConnection? _cdp;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The browser's product and version, e.g. <c>Chrome/156.0.8078.108</c>.</summary>
    public string Version { get; private set; } = "";

    /// <summary>The last lines Chromium printed (its stderr is chatty about D-Bus; useful when something fails).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Why Chromium cannot run here, or null when <c>chromium</c> is on PATH.</summary>
    public static string? MissingReason() => FindOnPath("chromium") is null
        ? "chromium is not installed (Debian: apt-get install --no-install-recommends chromium; ./test does this as root)"
        : null;

    /// <summary>Starts the browser and connects to it. Without <c>chromium</c> the test is ignored, or fails when
    /// running as root (where <c>./test</c> would have installed it).</summary>
    public static async Task<HeadlessChromium> StartAsync(CancellationToken ct = default)
    {
        if (MissingReason() is { } missing)
        {
            if (Environment.IsPrivilegedProcess)
            {
                Assert.Fail(missing);
            }

            Assert.Ignore(missing);
        }

        string profile = Directory.CreateTempSubdirectory("perftools-chromium-").FullName;
        var info = new ProcessStartInfo(FindOnPath("chromium")!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // nothing to read: a closed stdin, not the test host's
            UseShellExecute = false,
            WorkingDirectory = profile,
        };
        foreach (string flag in Flags)
        {
            info.ArgumentList.Add(flag);
        }

        info.ArgumentList.Add("--remote-debugging-port=0");
        info.ArgumentList.Add($"--user-data-dir={profile}");
        info.ArgumentList.Add("about:blank");

        var process = new Process { StartInfo = info };
        var chrome = new HeadlessChromium(process, profile);
        process.OutputDataReceived += (_, e) => chrome.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => chrome.Keep(e.Data);
        try
        {
            process.Start();
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            Uri webSocket = await chrome.WaitForDevToolsAsync(ct);
            chrome._cdp = await CdpConnection.ConnectAsync(webSocket, CallTimeout, ct);
            JObject version = await chrome._cdp.SendAsync("Browser.getVersion", ct: ct);
            chrome.Version = (string?)version["product"] ?? "";
        }
        catch
        {
            await chrome.DisposeAsync();
            throw;
        }

        return chrome;
    }

    /// <summary>Opens <paramref name="url"/> in a new tab with JavaScript disabled, and returns once it has loaded and
    /// every request it started has ended. Dispose the page to close the tab.</summary>
    /// <exception cref="InvalidOperationException">Chromium could not open the URL (e.g. no such file).</exception>
    /// <exception cref="TimeoutException">It did not load within <see cref="CallTimeout"/>.</exception>
    public Task<ChromiumPage> OpenAsync(Uri url, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        return ChromiumPage.OpenAsync(_cdp ?? throw new ObjectDisposedException(nameof(HeadlessChromium)), url, ct);
    }

    /// <summary>Opens a local file as <c>file://</c>, as a user double-clicking it would.</summary>
    public Task<ChromiumPage> OpenFileAsync(string path, CancellationToken ct = default) =>
        OpenAsync(new Uri(Path.GetFullPath(path)), ct);

    public async ValueTask DisposeAsync()
    {
        CdpConnection? cdp = Interlocked.Exchange(ref _cdp, null);
        if (cdp is not null)
        {
            try
            {
                await cdp.SendAsync("Browser.close").WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                // killed below
            }

            await cdp.DisposeAsync();
        }

        try
        {
            if (!_process.HasExited)
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            // still running (or never started): killed below
        }

        try
        {
            // Renderer, GPU and zygote processes are children; none may outlive the test.
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // already gone, or never started
        }

        _process.Dispose();
        DeleteProfile();
    }

    public override string ToString() => $"chromium {Version} (profile {_profile}):\n{Output}";

    private async Task<Uri> WaitForDevToolsAsync(CancellationToken ct)
    {
        string portFile = Path.Combine(_profile, "DevToolsActivePort");
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartTimeout)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"chromium exited with {_process.ExitCode} before DevTools listened: {this}");
            }

            // Two lines: the port, then the browser's websocket path. It may be read while half written.
            string[] lines = File.Exists(portFile) ? ReadShared(portFile).Split('\n', StringSplitOptions.TrimEntries) : [];
            if (lines.Length >= 2 && int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out int port)
                && port > 0 && lines[1].StartsWith("/devtools/browser/", StringComparison.Ordinal))
            {
                return new Uri(string.Create(CultureInfo.InvariantCulture, $"ws://127.0.0.1:{port}{lines[1]}"));
            }

            await Task.Delay(50, ct);
        }

        throw new TimeoutException($"chromium wrote no DevToolsActivePort within {StartTimeout.TotalSeconds} s: {this}");
    }

    private static string ReadShared(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return ""; // being replaced; read again
        }
    }

    private void Keep(string? line)
    {
        // The Debian wrapper's shell test of /dev/shm's size trips over dash: "[: 25276510208: unexpected operator".
        if (line is null || line.Contains(": unexpected operator", StringComparison.Ordinal))
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > MaxOutputLines)
            {
                _output.Dequeue();
            }
        }
    }

    private void DeleteProfile()
    {
        for (int attempt = 0; attempt < 5 && Directory.Exists(_profile); attempt++)
        {
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(200); // a helper process finishing its last write
            }
        }
    }

    private static string? FindOnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, command))
            .FirstOrDefault(File.Exists);
}
