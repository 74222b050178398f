using System.Globalization;
using System.Text;
using HdrHistogram;
using HdrHistogram.Utilities;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Reports.Simulation;

/// <summary>Writes and reads <c>simulation_*.hlog</c>: HdrHistogram's interval log (format 1.3), one
/// <c>Tag=corrected</c> and one <c>Tag=uncorrected</c> line per second of the schedule, each the V2 compressed
/// histogram (µs, 3 significant digits) of the requests due in that second, so HdrHistogram's own readers
/// (<c>HistogramLogReader</c>, HistogramLogProcessor, HdrHistogram plotters) read it, and the seconds of several
/// shards add up exactly (<c>--merge</c>).</summary>
/// <remarks>
/// Written here rather than by HdrHistogram.NET 2.5.0's <c>HistogramLogWriter</c>, which writes UTF-16 and formats
/// numbers in the current culture (a decimal comma breaks every reader). This file is UTF-8 without a BOM, numbers
/// invariant. Timestamps are seconds relative to <c>#[BaseTime: …]</c>, which is the schedule's time zero (as
/// <c>#[StartTime: …]</c>); Interval_Max is in ms. The run's settings are <c># key: value</c> comment lines, which
/// HdrHistogram's readers skip and <see cref="Read"/> checks. Note HdrHistogram.NET's reader parses the timestamps
/// with <c>double.Parse</c> in the current culture: read it under an invariant (or dot-decimal) culture.
/// </remarks>
public static class SimulationHlog
{
    public const string CorrectedTag = "corrected";
    public const string UncorrectedTag = "uncorrected";

    /// <summary>The histogram settings every file states, so parts of other settings are not added up.</summary>
    public static readonly string HistogramSettings = string.Create(CultureInfo.InvariantCulture,
        $"unit us, lowest {LatencyRecorder.LowestMicros}, highest {LatencyRecorder.HighestMicros}, significant digits {LatencyRecorder.SignificantDigits}");

    private const string Report = "simulation hlog";
    private const string Legend = "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"";

    public static void Write(Stream destination, SimulationStats stats, bool roundBased, string? mergedFrom = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(stats);
        var c = CultureInfo.InvariantCulture;
        using var w = new StreamWriter(destination, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        double start = stats.StartedAt.ToUnixTimeMilliseconds() / 1000.0;
        string startText = stats.StartedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", c);
        w.WriteLine("#[Histogram log format version 1.3]");
        w.WriteLine(string.Create(c, $"#[StartTime: {start:F3} (seconds since epoch), {startText}]"));
        w.WriteLine(string.Create(c, $"#[BaseTime: {start:F3} (seconds since epoch)]"));
        w.WriteLine("# simulate_bottleneck interval log: one line per tag and second of the schedule, by the second requests were due;");
        w.WriteLine("# corrected = from the due time, uncorrected = from the actual send; values in µs, Interval_Max in ms");
        Setting(w, "scenario", SafeText.Printable(stats.Scenario));
        Setting(w, "target_rps", stats.TargetRps.ToString(c));
        Setting(w, "duration_s", stats.DurationSeconds.ToString(c));
        Setting(w, "shard", stats.Shard.ToString());
        Setting(w, "start_at", stats.StartAtGiven ? startText : "none (the schedule started at once)");
        Setting(w, "round_based", roundBased ? "true" : "false");
        Setting(w, "due", stats.Due is { } due ? due.ToString(c) : "none (closed model)");
        Setting(w, "sent", (stats.Rounds ?? stats.Requests).ToString(c));
        Setting(w, "requests", stats.Requests.ToString(c));
        Setting(w, "first_due_s", stats.FirstDue is { } firstDue ? firstDue.TotalSeconds.ToString("0.######", c) : "none");
        Setting(w, "first_send_at", stats.FirstSentAt is { } first ? first.ToUniversalTime().ToString("o", c) : "none");
        Setting(w, "histogram", HistogramSettings);
        if (mergedFrom is not null)
        {
            Setting(w, "merged_from", SafeText.OneLine(mergedFrom));
        }

        w.WriteLine(Legend);
        LongHistogram scratch = SecondHistogram.NewHistogram(); // one dense histogram reused: 180 kB, not 180 kB a line
        for (int s = 0; s < stats.SecondLatencies.Count; s++)
        {
            Line(w, CorrectedTag, s, stats.SecondLatencies[s].Corrected, scratch);
            Line(w, UncorrectedTag, s, stats.SecondLatencies[s].Uncorrected, scratch);
        }
    }

    public static void WriteFile(string path, SimulationStats stats, bool roundBased, string? mergedFrom = null) =>
        AtomicFile.Write(path, stream => Write(stream, stats, roundBased, mergedFrom));

    /// <summary>The V2 compressed encoding of <paramref name="histogram"/>, as an interval log line carries it in base64.</summary>
    public static byte[] Encode(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        ByteBuffer buffer = ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity());
        int length = histogram.EncodeIntoCompressedByteBuffer(buffer);
        buffer.Position = 0; // ByteBuffer.BlockGet is internal: read the bytes back one by one
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = buffer.Get();
        }

        return bytes;
    }

    /// <summary>Reads a file this class wrote: its settings and its seconds.</summary>
    /// <exception cref="InvalidDataException">Not such a file, a setting missing, a line or histogram that does not
    /// decode, or a histogram of other settings; one line naming the line.</exception>
    public static SimulationHlogFile Read(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var c = CultureInfo.InvariantCulture;
        using var reader = new StreamReader(source, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 64 * 1024, leaveOpen: true);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var seconds = new SortedDictionary<int, (SecondHistogram? Corrected, SecondHistogram? Uncorrected)>();
        bool version = false;
        int number = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            number++;
            if (line.StartsWith("#[Histogram log format version ", StringComparison.Ordinal))
            {
                version = true;
            }
            else if (line.StartsWith("# ", StringComparison.Ordinal) && line.IndexOf(": ", StringComparison.Ordinal) is var colon and > 2)
            {
                settings[line[2..colon]] = line[(colon + 2)..];
            }
            else if (line.Length == 0 || line.StartsWith('#') || line == Legend)
            {
                // other comments: skipped, as HdrHistogram's readers skip them
            }
            else
            {
                string[] f = line.Split(',');
                if (f.Length != 5 || !f[0].StartsWith("Tag=", StringComparison.Ordinal)
                    || !double.TryParse(f[1], NumberStyles.Float, c, out double at) || at < 0 || at > int.MaxValue)
                {
                    throw ReportReadError.Create(Report, $"line {number} is not Tag=…,start,interval,max,histogram");
                }

                HistogramBase histogram;
                try
                {
                    histogram = HistogramEncoding.DecodeFromCompressedByteBuffer(ByteBuffer.Allocate(Convert.FromBase64String(f[4])), 0);
                }
                catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or IOException or NotSupportedException)
                {
                    throw ReportReadError.Create(Report, $"line {number}: the histogram does not decode ({SafeText.OneLine(e.Message)})", e);
                }

                if (histogram.LowestTrackableValue != LatencyRecorder.LowestMicros
                    || histogram.NumberOfSignificantValueDigits != LatencyRecorder.SignificantDigits
                    || histogram.HighestTrackableValue < LatencyRecorder.HighestMicros)
                {
                    throw ReportReadError.Create(Report, string.Create(c,
                        $"line {number}: a histogram of other settings (lowest {histogram.LowestTrackableValue}, highest {histogram.HighestTrackableValue}, {histogram.NumberOfSignificantValueDigits} digits); expected {HistogramSettings}"));
                }

                int second = (int)Math.Round(at);
                var entry = seconds.GetValueOrDefault(second);
                SecondHistogram values = SecondHistogram.From(histogram);
                entry = f[0][4..] switch
                {
                    CorrectedTag when entry.Corrected is null => (values, entry.Uncorrected),
                    UncorrectedTag when entry.Uncorrected is null => (entry.Corrected, values),
                    _ => throw ReportReadError.Create(Report, $"line {number}: a second {second} {SafeText.Printable(f[0])} line again, or an unknown tag"),
                };
                seconds[second] = entry;
            }
        }

        if (!version)
        {
            throw ReportReadError.Create(Report, "lacks '#[Histogram log format version …]': not an HdrHistogram interval log");
        }

        foreach (string key in (string[])["scenario", "target_rps", "duration_s", "shard", "start_at", "round_based", "due", "sent", "requests", "first_send_at", "histogram"])
        {
            if (!settings.ContainsKey(key))
            {
                throw ReportReadError.Create(Report, $"lacks the setting '# {key}: …' (not written by simulate_bottleneck)");
            }
        }

        var list = new List<SecondLatencies>();
        foreach (var (second, entry) in seconds)
        {
            while (list.Count < second)
            {
                list.Add(new SecondLatencies(new(), new()));
            }

            list.Add(new SecondLatencies(entry.Corrected ?? new(), entry.Uncorrected ?? new()));
        }

        return new SimulationHlogFile(settings, list);
    }

    /// <exception cref="InvalidDataException">As <see cref="Read"/>, the message starting with the path.</exception>
    public static SimulationHlogFile ReadFile(string path) => ReportReadError.FromFile(path, Read);

    /// <summary>The percentile distribution of <paramref name="histogram"/> in ms, in HdrHistogram's <c>.hgrm</c> text
    /// (what wrk2 prints and hdr-plot reads), numbers invariant.</summary>
    public static void WriteHgrm(string path, HistogramBase histogram) => AtomicFile.Write(path, stream =>
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        histogram.OutputPercentileDistribution(text, percentileTicksPerHalfDistance: 5, outputValueUnitScalingRatio: 1000.0);
        byte[] bytes = new UTF8Encoding(false).GetBytes(text.ToString());
        stream.Write(bytes);
    });

    private static void Setting(StreamWriter w, string key, string value) => w.WriteLine($"# {key}: {value}");

    private static void Line(StreamWriter w, string tag, int second, SecondHistogram values, LongHistogram scratch)
    {
        scratch.Reset();
        values.CopyInto(scratch);
        string payload = Convert.ToBase64String(Encode(scratch));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Tag={tag},{second}.000,1.000,{values.MaxMicros / 1000.0:F3},{payload}"));
    }
}

/// <summary>What a <c>simulation_*.hlog</c> holds: its <c># key: value</c> settings and its seconds.</summary>
public sealed record SimulationHlogFile(IReadOnlyDictionary<string, string> Settings, IReadOnlyList<SecondLatencies> Seconds);
