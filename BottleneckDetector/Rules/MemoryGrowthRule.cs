using PerfTools.Shared.Analysis;
using PerfTools.Shared.Metrics;
using static PerfTools.BottleneckDetector.Rules.RuleText;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary><c>memory_growth</c>: sustained growth of process or heap memory over the window (least-squares slope and R² of a range query).</summary>
/// <remarks>
/// A service warming up (JIT, pools, caches filling) grows too, then levels off. It is reported as info at most when the
/// last third of the window grows at less than a quarter of the overall slope (the growth is concentrated early), or
/// when the process started less than <see cref="DetectorThresholds.WarmupMinutes"/> before the window, unless its growth
/// is a straight line (R² ≥ <see cref="DetectorThresholds.YoungLeakMinR2"/>) that keeps its pace to the end (the last
/// third at ≥ <see cref="DetectorThresholds.YoungLeakLastThirdShare"/> of the overall slope) over a window of at least
/// <see cref="DetectorThresholds.YoungLeakMinWindowMinutes"/>: then it is a likely leak, young process or not.
/// </remarks>
public sealed class MemoryGrowthRule : IMetricRule
{
    private const int MinSamples = 5;

    public string Id => "memory_growth";

    public async Task<IReadOnlyList<Finding>> EvaluateAsync(MetricRuleContext ctx, CancellationToken ct)
    {
        var metrics = ctx.Metrics;
        var selectors = new[] { metrics.ProcessMemory, metrics.HeapMemory }.OfType<string>().Select(m => ctx.Select(m)).ToList();
        if (selectors.Count == 0)
        {
            return [];
        }

        var starts = metrics.ProcessStartTime == null
            ? PrometheusQueryResult.EmptyVector
            : await ctx.InstantAsync(ctx.Select(metrics.ProcessStartTime), ct).ConfigureAwait(false);
        double? limit = null;
        if (metrics.MemoryLimit != null)
        {
            var limits = await ctx.InstantAsync($"min({ctx.Select(metrics.MemoryLimit)})", ct).ConfigureAwait(false);
            limit = limits.Series.Select(s => s.Value).FirstOrDefault(v => IsNumber(v) && v > 0);
        }

        var findings = new List<Finding>();
        foreach (var selector in selectors)
        {
            var range = await ctx.RangeAsync(selector, ct).ConfigureAwait(false);
            findings.AddRange(Evaluate(range, selector, starts, limit is > 0 ? limit : null, ctx.Thresholds, ctx.Target));
        }

        return findings;
    }

    /// <param name="range">Memory in bytes over the window, one series per process.</param>
    /// <param name="startTimes">process_start_time_seconds by job/instance; may be empty.</param>
    /// <param name="limitBytes">A known memory limit, for the time to reach it.</param>
    /// <param name="facts">The processes' runtimes and ids, so the advice names their heap tools; null when unknown.</param>
    public static IReadOnlyList<Finding> Evaluate(
        PrometheusQueryResult range, string query, PrometheusQueryResult startTimes, double? limitBytes, DetectorThresholds thresholds,
        TargetFacts? facts = null)
    {
        facts ??= TargetFacts.Unknown;
        var startByProcess = new Dictionary<string, double>();
        foreach (var s in startTimes.Series)
        {
            startByProcess[ProcessKey(s)] = s.Value;
        }

        var findings = new List<Finding>();
        foreach (var series in range.Series)
        {
            var raw = series.Samples.Where(s => IsNumber(s.Value)).ToList();
            if (raw.Count < MinSamples)
            {
                continue;
            }

            var samples = LowWaterMark(raw);

            var fit = LinearFit.Of(samples);
            if (fit.Slope < thresholds.MemoryGrowthBytesPerSecond || fit.R2 < thresholds.MemoryGrowthMinR2)
            {
                continue;
            }

            var windowStart = samples[0].TimeUnixSeconds;
            var lastThird = LinearFit.Of(samples.Skip(samples.Count * 2 / 3).ToList());
            var youngProcess = startByProcess.TryGetValue(ProcessKey(series), out var started)
                && IsNumber(started) && windowStart - started < thresholds.WarmupMinutes * 60;
            var levellingOff = lastThird.Slope < fit.Slope / 4;
            // A leak in a freshly started service must still be a warning: growth that is a straight line and keeps its
            // pace to the end of the window is not warm-up, however young the process.
            var youngButLeaking = youngProcess && !levellingOff && fit.R2 >= thresholds.YoungLeakMinR2
                && lastThird.Slope >= fit.Slope * thresholds.YoungLeakLastThirdShare
                && samples[^1].TimeUnixSeconds - windowStart >= thresholds.YoungLeakMinWindowMinutes * 60;
            var process = facts.Process(series);
            var target = process.Name;
            var name = series.Label("__name__") is { Length: > 0 } n ? n : query;
            var growth = samples[^1].Value - samples[0].Value;
            var minutes = (samples[^1].TimeUnixSeconds - windowStart) / 60;
            var trend = $"{name} of {target} grew {Bytes(growth)} in {N(minutes, "0")} min ({Bytes(fit.Slope * 60)}/min, R² {N(fit.R2)})";

            if ((youngProcess && !youngButLeaking) || levellingOff)
            {
                var why = youngProcess
                    ? $"the process {Started(windowStart - started)}"
                    : "most of the growth is in the first part of the window and it is levelling off";
                findings.Add(new Finding("memory_growth", Severity.Info, target, fit.Slope, "bytes/s", thresholds.MemoryGrowthBytesPerSecond, query,
                    $"{trend}, but {why}: that looks like warming up (JIT, pools, caches filling), not a leak. Re-run over a later or longer window to be sure.")
                {
                    NextSteps = [LongerWindowStep(target)],
                });
                continue;
            }

            var severity = Severity.Warning;
            var limitText = "";
            if (limitBytes is { } limit)
            {
                var hours = (limit - samples[^1].Value) / fit.Slope / 3600;
                limitText = hours <= 0 ? $"; it is already at the limit of {Bytes(limit)}" : $"; at this rate it reaches the limit of {Bytes(limit)} in {N(hours, "0.#")} h";
                if (hours <= thresholds.MemoryLimitCriticalHours)
                {
                    severity = Severity.Critical;
                }
            }

            var young = youngButLeaking
                ? $", though the process is young ({Started(windowStart - started)}): its growth does not level off " +
                  $"(the last third of the window grows at {N(lastThird.Slope / fit.Slope * 100, "0")} % of the overall pace)"
                : "";
            findings.Add(new Finding("memory_growth", severity, target, fit.Slope, "bytes/s", thresholds.MemoryGrowthBytesPerSecond, query,
                $"{trend}{young}: sustained growth, a likely leak{limitText}. Take two heap snapshots some minutes apart{RuntimeAdvice.HeapTool(process.Runtime)} " +
                "and compare which types grow; look for caches without eviction, static collections and event handlers never removed.")
            {
                NextSteps = [.. RuntimeAdvice.HeapSteps(process), LongerWindowStep(target)],
            });
        }

        return findings;
    }

    /// <summary>"started 2 min before the window"; a process started inside the window or seconds before it says so.</summary>
    private static string Started(double secondsBeforeWindow) => secondsBeforeWindow switch
    {
        < 0 => "started inside the window",
        < 6 => "started just before the window",
        _ => $"started {N(secondsBeforeWindow / 60, "0.#")} min before the window",
    };

    private static string LongerWindowStep(string target) =>
        $"run the detector again later with a longer window (add --window 1h) to see whether {target} keeps growing";

    /// <summary>The series' low-water mark: each point the least value within a twelfth of the window around it (5 of 60
    /// points). Between collections a managed heap or a working set rises and falls with garbage by tens of MB (a server
    /// GC's gen0 budget); what survives collections is the floor, and a leak raises the floor.</summary>
    /// <remarks>Regression: the sample's leak, 1 MB/s retained under other traffic, fitted to R² 0.80–0.89 on the raw
    /// heap series and was judged warm-up; its floor is a straight line.</remarks>
    public static IReadOnlyList<PrometheusSample> LowWaterMark(IReadOnlyList<PrometheusSample> samples)
    {
        int half = samples.Count / 24; // a window of 2·half + 1 points, about a twelfth
        if (half == 0)
        {
            return samples;
        }

        return samples
            .Select((s, i) => s with
            {
                Value = samples.Skip(Math.Max(0, i - half)).Take(Math.Min(samples.Count, i + half + 1) - Math.Max(0, i - half)).Min(p => p.Value),
            })
            .ToList();
    }
}
