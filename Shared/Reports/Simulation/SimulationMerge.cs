using System.Globalization;
using PerfTools.Shared.Analysis;
using PerfTools.Shared.Text;

namespace PerfTools.Shared.Reports.Simulation;

/// <summary>The shards of one schedule (<c>--shard K/N</c> runs with one <c>--start-at</c>), read and checked for
/// <c>--merge</c>, and added up into the figures of one run: counts summed, histograms added per aligned second and
/// overall (HdrHistograms add exactly, so the merged percentiles are those of one recorder that saw every request).</summary>
/// <remarks>Each part is the stem <c>simulation_&lt;scenario&gt;_&lt;ts&gt;</c> of one run with its .hlog (settings and
/// per-second histograms), .json (counts, overall and per-route histograms) and .csv (per-second counts). Routes
/// merge like the whole: counts summed, histograms added. Parts written before routes kept histograms merge their
/// routes only when the headline is one route (then the route is the scenario's figures); otherwise the routes are
/// left out, since their latencies cannot be added exactly.</remarks>
public sealed class SimulationMerge
{
    public const string Allowed =
        "must be the .hlog files (or .json, or folders holding them, subfolders searched too; --merge repeats) of the N shards of one run: each simulation_<scenario>_<ts> with its .hlog, .json and .csv";

    private SimulationMerge(IReadOnlyList<Part> parts) => Parts = parts;

    /// <summary>The parts, by shard.</summary>
    public IReadOnlyList<Part> Parts { get; }

    /// <summary>One shard's files, read.</summary>
    public sealed record Part(string Stem, ScheduleShard Shard, SimulationHlogFile Hlog, SimulationStats Stats, IReadOnlyList<SecondStats> Seconds)
    {
        public bool RoundBased => Hlog.Settings["round_based"] == "true";

        /// <summary>Items this shard had due (the .hlog's <c>due</c>); null for the closed model.</summary>
        public long? Due => long.TryParse(Hlog.Settings["due"], NumberStyles.None, CultureInfo.InvariantCulture, out long due) ? due : null;

        /// <summary>Items it sent (the .hlog's <c>sent</c>).</summary>
        public long Sent => long.TryParse(Hlog.Settings["sent"], NumberStyles.None, CultureInfo.InvariantCulture, out long sent) ? sent : 0;

        public DateTimeOffset? FirstSentAt => DateTimeOffset.TryParse(Hlog.Settings["first_send_at"], CultureInfo.InvariantCulture,
            DateTimeStyles.RoundtripKind, out DateTimeOffset at) ? at : null;

        /// <summary>When its first item was due, seconds after the schedule's start; null when not written.</summary>
        public double? FirstDueSeconds => double.TryParse(Hlog.Settings.GetValueOrDefault("first_due_s"), NumberStyles.Float,
            CultureInfo.InvariantCulture, out double s) ? s : null;
    }

    /// <summary>Reads and checks the parts; null with <paramref name="problem"/> (one line) when they are not the N
    /// shards of one schedule, or a file is missing or damaged.</summary>
    public static SimulationMerge? Load(IReadOnlyList<string> paths, out string? problem)
    {
        problem = null;
        var stems = new List<string>();
        foreach (string path in paths)
        {
            if (Directory.Exists(path))
            {
                stems.AddRange(Directory.GetFiles(path, "simulation_*.hlog", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => f[..^".hlog".Length]));
            }
            else if (File.Exists(path) && Path.GetExtension(path) is ".hlog" or ".json" or ".csv")
            {
                stems.Add(path[..^Path.GetExtension(path).Length]);
            }
            else
            {
                problem = Bad(path, File.Exists(path) ? "not a .hlog, .json or .csv" : "no such file or folder");
                return null;
            }
        }

        stems = stems.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();
        if (stems.Count == 0)
        {
            problem = Bad(string.Join(' ', paths), "no simulation_*.hlog found");
            return null;
        }

        var parts = new List<Part>();
        foreach (string stem in stems)
        {
            foreach (string ext in (string[])[".hlog", ".json", ".csv"])
            {
                if (!File.Exists(stem + ext))
                {
                    problem = Bad(stem + ext, "missing: every part needs its .hlog, .json and .csv");
                    return null;
                }
            }

            try
            {
                SimulationHlogFile hlog = SimulationHlog.ReadFile(stem + ".hlog");
                ScheduleShard shard = ScheduleShard.Parse(hlog.Settings["shard"])
                    ?? throw new InvalidDataException($"{stem}.hlog: shard '{SafeText.Printable(hlog.Settings["shard"])}' is not K/N");
                parts.Add(new Part(stem, shard, hlog, SimulationJson.ReadFile(stem + ".json"), SimulationCsv.ReadFile(stem + ".csv")));
            }
            catch (InvalidDataException e)
            {
                problem = Bad(stem, SafeText.OneLine(e.Message));
                return null;
            }
        }

        problem = Check(parts);
        return problem is null ? new SimulationMerge(parts.OrderBy(p => p.Shard.Index).ToList()) : null;
    }

    /// <summary>One schedule: the same scenario, rate, duration, start, N and histogram settings; each shard once.</summary>
    private static string? Check(List<Part> parts)
    {
        Part first = parts[0];
        foreach (string key in (string[])["scenario", "target_rps", "duration_s", "start_at", "round_based", "histogram"])
        {
            if (parts.FirstOrDefault(p => p.Hlog.Settings[key] != first.Hlog.Settings[key]) is { } other)
            {
                return Bad(Path.GetFileName(other.Stem), $"not of the same schedule: {key} '{SafeText.Printable(other.Hlog.Settings[key])}' where {Path.GetFileName(first.Stem)} has '{SafeText.Printable(first.Hlog.Settings[key])}'");
            }
        }

        if (first.Hlog.Settings["start_at"].StartsWith("none", StringComparison.Ordinal))
        {
            return Bad(Path.GetFileName(first.Stem), "started at once, so its seconds line up with no other machine's: run every shard with the same --start-at");
        }

        if (parts.FirstOrDefault(p => p.Shard.Count != first.Shard.Count) is { } odd)
        {
            return Bad(Path.GetFileName(odd.Stem), $"not of the same schedule: shard {odd.Shard} where {Path.GetFileName(first.Stem)} is {first.Shard}");
        }

        int n = first.Shard.Count;
        var twice = parts.GroupBy(p => p.Shard.Index).Where(g => g.Count() > 1).ToList();
        if (twice.Count > 0)
        {
            var g = twice[0];
            return Bad(string.Join(' ', g.Select(p => Path.GetFileName(p.Stem))), string.Create(CultureInfo.InvariantCulture,
                $"shard {g.Key}/{n} is there {g.Count()} times; keep one"));
        }

        var missing = Enumerable.Range(1, n).Except(parts.Select(p => p.Shard.Index)).ToList();
        if (missing.Count > 0)
        {
            string list = string.Join(", ", missing.Take(10).Select(k => $"{k}/{n}")) + (missing.Count > 10 ? $" and {missing.Count - 10} more" : "");
            return Bad(string.Join(' ', parts.Select(p => Path.GetFileName(p.Stem))), $"shard {list} missing: add its files (every one of the {n} shards, once)");
        }

        return null;
    }

    private static string Bad(string value, string why) => $"--merge '{SafeText.Printable(value)}': {why} ({Allowed})";

    /// <summary>The figures of the whole schedule, as one run would have them.</summary>
    public SimulationStats Merged()
    {
        Part first = Parts[0];
        SimulationStats f = first.Stats;
        int secondsCount = Parts.Max(p => Math.Max(p.Seconds.Count, p.Hlog.Seconds.Count));
        var secondLatencies = new List<SecondLatencies>();
        var seconds = new List<SecondStats>();
        for (int s = 0; s < secondsCount; s++)
        {
            var corrected = new SecondHistogram();
            var raw = new SecondHistogram();
            long sent = 0, ok = 0, errors = 0;
            foreach (Part p in Parts)
            {
                if (s < p.Hlog.Seconds.Count)
                {
                    corrected.Add(p.Hlog.Seconds[s].Corrected);
                    raw.Add(p.Hlog.Seconds[s].Uncorrected);
                }

                if (s < p.Seconds.Count)
                {
                    sent += p.Seconds[s].Sent;
                    ok += p.Seconds[s].Ok;
                    errors += p.Seconds[s].Errors;
                }
            }

            secondLatencies.Add(new SecondLatencies(corrected, raw));
            seconds.Add(new SecondStats(s, sent, ok, errors,
                corrected.ValueAtPercentileMicros(50), corrected.ValueAtPercentileMicros(99), raw.ValueAtPercentileMicros(99)));
        }

        var (overall, latency) = Added(Parts.Select(p => (p.Stats.LatencyHistogram, p.Stats.Latency)));
        var (overallRaw, latencyRaw) = Added(Parts.Select(p => (p.Stats.LatencyHistogramUncorrected, p.Stats.LatencyUncorrected)));
        bool roundBased = first.RoundBased;
        var merged = new SimulationStats(
            f.Scenario,
            string.Join(", ", Parts.Select(p => p.Stats.BaseUrl).Distinct(StringComparer.Ordinal)),
            f.StartedAt,
            f.TargetRps,
            f.DurationSeconds,
            Parts.Sum(p => p.Stats.MaxInFlight),
            Parts.Sum(p => p.Stats.Requests),
            Parts.Sum(p => p.Stats.Ok),
            Parts.Sum(p => p.Stats.Errors),
            Parts.Sum(p => p.Stats.Late),
            Parts.Max(p => p.Stats.MaxLagMicros),
            latency,
            latencyRaw,
            Sum(Parts.Select(p => p.Stats.StatusCodes)),
            Sum(Parts.Select(p => p.Stats.ErrorsByKind)),
            roundBased ? Parts.Sum(p => p.Stats.Rounds ?? 0) : null,
            roundBased ? Parts.Sum(p => p.Stats.LateRounds ?? 0) : null,
            seconds)
        {
            LatencyHistogram = overall.Buckets.ToList(),
            LatencyHistogramUncorrected = overallRaw.Buckets.ToList(),
            WarmupSeconds = f.WarmupSeconds,
            WarmupRequests = Parts.Sum(p => p.Stats.WarmupRequests),
            SecondLatencies = secondLatencies,
            Shard = ScheduleShard.Whole,
            StartAtGiven = true,
            Due = Parts.All(p => p.Due is not null) ? Parts.Sum(p => p.Due!.Value) : null,
            FirstSentAt = Parts.Where(p => p.FirstSentAt is not null).Select(p => p.FirstSentAt).Min(),
            Generator = Parts.All(p => p.Stats.Generator is not null)
                ? new GeneratorLag(Parts.Sum(p => p.Stats.Generator!.Items), Parts.Sum(p => p.Stats.Generator!.LateOwn),
                    Parts.Max(p => p.Stats.Generator!.MaxOwnLagMicros), roundBased)
                : null,
        };
        if (MergedRoutes() is { } routes)
        {
            merged = merged with { Routes = routes };
        }
        else if (OneRouteEverywhere)
        {
            // Parts from before routes kept histograms, with one headline route and none beside: the route is the
            // scenario's figures, so it merges exactly too.
            merged = merged with
            {
                Routes = [new RouteStats(f.Routes[0].Label, true, merged.Requests, merged.Ok, merged.Errors, merged.Late, latency, latencyRaw,
                    merged.StatusCodes, merged.ErrorsByKind)
                {
                    LatencyHistogram = merged.LatencyHistogram,
                    LatencyHistogramUncorrected = merged.LatencyHistogramUncorrected,
                }],
            };
        }

        return merged;
    }

    /// <summary>Whether the routes were left out: some part has a route without its histograms (written before they
    /// were kept), so several routes' latencies cannot be added exactly.</summary>
    public bool RoutesLeftOut => !RoutesHaveHistograms && !OneRouteEverywhere;

    private bool RoutesHaveHistograms => Parts.All(p => p.Stats.Routes.All(r => r.HasHistograms));

    /// <summary>Every part has the same one route, in the headline: the route is the scenario's figures.</summary>
    private bool OneRouteEverywhere =>
        Parts.All(p => p.Stats.Routes.Count == 1 && p.Stats.Routes[0].Headline && p.Stats.Routes[0].Label == Parts[0].Stats.Routes[0].Label);

    /// <summary>Each route over every part: counts summed, histograms added (a route a part never sent is simply
    /// absent there); headline routes first, then by label, as one run orders them. Null when a part's route has
    /// no histograms.</summary>
    private List<RouteStats>? MergedRoutes()
    {
        if (!RoutesHaveHistograms)
        {
            return null;
        }

        var routes = new List<RouteStats>();
        foreach (var label in Parts.SelectMany(p => p.Stats.Routes).GroupBy(r => r.Label, StringComparer.Ordinal))
        {
            var (corrected, latency) = Added(label.Select(r => (r.LatencyHistogram, r.Latency)));
            var (raw, latencyRaw) = Added(label.Select(r => (r.LatencyHistogramUncorrected, r.LatencyUncorrected)));
            routes.Add(new RouteStats(
                label.Key,
                label.First().Headline,
                label.Sum(r => r.Requests),
                label.Sum(r => r.Ok),
                label.Sum(r => r.Errors),
                label.Sum(r => r.Late),
                latency,
                latencyRaw,
                Sum(label.Select(r => r.StatusCodes)),
                Sum(label.Select(r => r.ErrorsByKind)))
            {
                LatencyHistogram = corrected.Buckets.ToList(),
                LatencyHistogramUncorrected = raw.Buckets.ToList(),
            });
        }

        return routes.OrderBy(r => r.Headline ? 0 : 1).ThenBy(r => r.Label, StringComparer.Ordinal).ToList();
    }

    /// <summary>Each part's first send against when its first item was due (start + its offset in the schedule), ms,
    /// and the spread between them: the clocks' skew between machines plus each process's start-up jitter.</summary>
    public (IReadOnlyList<(ScheduleShard Shard, double LeadMs)> Parts, double SpreadMs)? Skew()
    {
        var leads = new List<(ScheduleShard, double)>();
        foreach (Part p in Parts)
        {
            if (p.FirstSentAt is not { } firstSent || p.FirstDueSeconds is not { } firstDue)
            {
                return null;
            }

            leads.Add((p.Shard, (firstSent - p.Stats.StartedAt).TotalMilliseconds - (firstDue * 1000)));
        }

        return (leads, leads.Max(l => l.Item2) - leads.Min(l => l.Item2));
    }

    /// <summary>Histograms added bucket for bucket, and their summary: each part's exact maximum (which the buckets
    /// round down) kept, the mean weighted by each part's count.</summary>
    private static (SecondHistogram Histogram, LatencySummary Summary) Added(
        IEnumerable<(IReadOnlyList<(long ValueMicros, long Count)> Pairs, LatencySummary Summary)> parts)
    {
        var h = new SecondHistogram();
        double weighted = 0;
        foreach (var (pairs, summary) in parts)
        {
            var part = new SecondHistogram();
            foreach (var (value, count) in pairs)
            {
                part.Record(value, count);
            }

            part.Widen(part.MinMicros, summary.MaxMicros);
            h.Add(part);
            weighted += (double)(summary.MeanMicros ?? 0) * part.Count;
        }

        long mean = h.Count == 0 ? 0 : (long)Math.Round(weighted / h.Count, MidpointRounding.AwayFromZero);
        return (h, h.Summary(mean));
    }

    private static SortedDictionary<TKey, long> Sum<TKey>(IEnumerable<IReadOnlyDictionary<TKey, long>> counts) where TKey : notnull
    {
        var total = new SortedDictionary<TKey, long>();
        foreach (var c in counts)
        {
            foreach (var (k, n) in c)
            {
                total[k] = total.GetValueOrDefault(k) + n;
            }
        }

        return total;
    }
}
