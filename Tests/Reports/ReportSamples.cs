using PerfTools.Shared.Analysis;
using PerfTools.Shared.Http;

namespace PerfTools.Tests.Reports;

/// <summary>A small fixed run: the input of the golden files and round-trip tests.</summary>
internal static class ReportSamples
{
    public static readonly DateTimeOffset Start = new(2025, 3, 14, 15, 9, 26, 535, TimeSpan.Zero);

    public static IReadOnlyList<RequestResult> Results { get; } =
    [
        new("GET /boards", "GET", "http://localhost:5000/boards", 200, Start, 0, 8_125, 12_345, 1_024,
            "0af7651916cd43dd8448eb211c80319c", 3.5, ErrorKind.None, null),
        new("GET /boards/{id}", "GET", "http://localhost:5000/boards/1", 200, Start.AddTicks(1_234_567), 1_500, 20_000, 45_678, 512,
            "4bf92f3577b34da6a3ce929d0e0e4736", null, ErrorKind.None, null),
        new("GET /boards", "GET", "http://localhost:5000/boards", 200, Start.AddMilliseconds(100), 250, 7_000, 9_870, 1_024,
            null, 2.25, ErrorKind.None, null),
        new("GET /boards/{id}", "GET", "http://localhost:5000/boards/2", 503, Start.AddMilliseconds(150), 0, 100_001, 100_002, 87,
            "b7ad6b7169203331b7ad6b7169203331", 99.125, ErrorKind.Http5xx, "Service Unavailable"),
        new("POST /boards/{id}/posts", "POST", "http://localhost:5000/boards/1/posts", 0, Start.AddMilliseconds(200), 0, -1, 5_000_000, 0,
            null, null, ErrorKind.Timeout, "The request was canceled due to the configured HttpClient.Timeout of 5 seconds elapsing."),
    ];

    /// <summary>One endpoint settled, one stopped at the bound, and a create that auto mode does not judge.</summary>
    public static IReadOnlyDictionary<string, WarmupOutcome> Warmups { get; } = new Dictionary<string, WarmupOutcome>
    {
        ["GET /boards"] = new(30, true),
        ["GET /boards/{id}"] = new(300, false),
        ["POST /boards/{id}/posts"] = new(5, null),
    };

    public static IReadOnlyList<EndpointStats> Stats { get; } =
    [
        new("GET /boards", 2, 2, 0, new Dictionary<string, long>(), 9_870, 11_107.5, 9_870, 12_345, 12_345, 12_345, 12_345, 1_237.5,
            19.6078431, 2.875),
        new("GET /boards/{id}", 2, 2, 1, new Dictionary<string, long> { ["Http5xx"] = 1 }, 45_678, 72_840, 45_678, 100_002, 100_002,
            100_002, 100_002, 27_162, 12.5, null),
        new("POST /boards/{id}/posts", 1, 0, 1, new Dictionary<string, long> { ["Timeout"] = 1 }, 0, 0, 0, 0, 0, 0, 0, 0, 0.2, null),
    ];
}
