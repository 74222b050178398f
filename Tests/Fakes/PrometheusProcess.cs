using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PerfTools.Tests.Fakes;

/// <summary>A real Prometheus (Debian's 2.42) on a free 127.0.0.1 port with its own temporary config and data folder,
/// for end-to-end tests: scraping live targets, or serving history made with <c>promtool</c>.</summary>
public sealed class PrometheusProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly string _folder;

    private PrometheusProcess(Process process, StringBuilder output, string folder, Uri baseUrl)
    {
        _process = process;
        _output = output;
        _folder = folder;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>Why tests needing Prometheus cannot run here, or null when both binaries are on PATH.</summary>
    public static string? MissingReason()
    {
        foreach (var tool in new[] { "prometheus", "promtool" })
        {
            var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Any(dir => File.Exists(Path.Combine(dir, tool)));
            if (!found)
            {
                return $"{tool} is not installed (Debian: apt-get install --no-install-recommends prometheus; ./test does this as root)";
            }
        }

        return null;
    }

    /// <summary>Starts Prometheus scraping <paramref name="scrapeTargets"/> (host:port) every second and, when
    /// <paramref name="openMetricsHistory"/> is given, first turns that OpenMetrics text (timestamps in seconds,
    /// ending with <c># EOF</c>) into TSDB blocks with <c>promtool tsdb create-blocks-from openmetrics</c>.</summary>
    public static async Task<PrometheusProcess> StartAsync(
        IReadOnlyList<string>? scrapeTargets = null, string? openMetricsHistory = null)
    {
        if (MissingReason() is { } missing)
        {
            Assert.Ignore(missing);
        }

        var folder = Directory.CreateTempSubdirectory("perftools-prometheus-").FullName;
        var data = Path.Combine(folder, "data");
        Directory.CreateDirectory(data);
        if (openMetricsHistory is not null)
        {
            var input = Path.Combine(folder, "history.om");
            await File.WriteAllTextAsync(input, openMetricsHistory);
            var (code, text) = await RunAsync("promtool", ["tsdb", "create-blocks-from", "openmetrics", input, data]);
            if (code != 0)
            {
                throw new InvalidOperationException($"promtool could not create blocks (exit {code}): {text}");
            }
        }

        var config = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n");
        if (scrapeTargets is { Count: > 0 })
        {
            config.Append("  - job_name: target\n    static_configs:\n      - targets: [")
                .Append(string.Join(", ", scrapeTargets.Select(t => $"'{t}'")))
                .Append("]\n");
        }
        else
        {
            config.Append("  []\n");
        }

        var configPath = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(configPath, config.ToString());

        var port = FreePort();
        var info = new ProcessStartInfo("prometheus")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (var arg in new[]
                 {
                     $"--config.file={configPath}", $"--storage.tsdb.path={data}",
                     $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
                     // History made by promtool may be old; a short retention would delete it on start.
                     "--storage.tsdb.retention.time=100y",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var prometheus = new PrometheusProcess(process, output, folder, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await prometheus.WaitReadyAsync();
        }
        catch
        {
            await prometheus.DisposeAsync();
            throw;
        }

        return prometheus;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // already gone, or will be reaped with the test host
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // a straggling write; the temp folder is left for the OS to clean
        }
    }

    public override string ToString()
    {
        lock (_output)
        {
            return $"prometheus at {BaseUrl}:\n{_output}";
        }
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}: {this}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl, "-/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"prometheus was not ready within {ReadyTimeout}: {this}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout + await stderr);
    }
}
