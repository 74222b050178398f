using PerfTools.Shared.Metrics;

namespace PerfTools.BottleneckDetector.Rules;

/// <summary>Least-squares line through samples: slope per second and the fit's R² (1 = a straight line, 0 = no trend).</summary>
internal readonly record struct LinearFit(double Slope, double R2)
{
    public static LinearFit Of(IReadOnlyList<PrometheusSample> samples)
    {
        var n = samples.Count;
        if (n < 2)
        {
            return new LinearFit(0, 0);
        }

        var t0 = samples[0].TimeUnixSeconds; // relative times keep the sums well-conditioned
        double sx = 0, sy = 0;
        foreach (var s in samples)
        {
            sx += s.TimeUnixSeconds - t0;
            sy += s.Value;
        }

        double mx = sx / n, my = sy / n, sxx = 0, sxy = 0, syy = 0;
        foreach (var s in samples)
        {
            var dx = s.TimeUnixSeconds - t0 - mx;
            var dy = s.Value - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }

        if (sxx == 0)
        {
            return new LinearFit(0, 0);
        }

        var slope = sxy / sxx;
        var r2 = syy == 0 ? 0 : sxy * sxy / (sxx * syy);
        return new LinearFit(slope, r2);
    }
}
