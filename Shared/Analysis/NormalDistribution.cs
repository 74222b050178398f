namespace PerfTools.Shared.Analysis;

/// <summary>The standard normal distribution's tail, to double precision, for p-values.</summary>
internal static class NormalDistribution
{
    /// <summary>P(Z &gt; x) for a standard normal Z; accurate to about 1e-15 absolute, and relatively in the far tail.</summary>
    /// <remarks>Hart's algorithm 5666 as given by G. West, "Better approximations to cumulative normal functions"
    /// (Wilmott Magazine, 2005): a rational function up to |x| = 7.07, a continued fraction beyond.</remarks>
    public static double UpperTail(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        double abs = Math.Abs(x);
        double tail; // P(Z > |x|)
        if (abs > 37)
        {
            tail = 0;
        }
        else
        {
            double exponential = Math.Exp(-abs * abs / 2);
            if (abs < 7.07106781186547)
            {
                double numerator = 3.52624965998911E-02;
                numerator = (numerator * abs) + 0.700383064443688;
                numerator = (numerator * abs) + 6.37396220353165;
                numerator = (numerator * abs) + 33.912866078383;
                numerator = (numerator * abs) + 112.079291497871;
                numerator = (numerator * abs) + 221.213596169931;
                numerator = (numerator * abs) + 220.206867912376;
                double denominator = 8.83883476483184E-02;
                denominator = (denominator * abs) + 1.75566716318264;
                denominator = (denominator * abs) + 16.064177579207;
                denominator = (denominator * abs) + 86.7807322029461;
                denominator = (denominator * abs) + 296.564248779674;
                denominator = (denominator * abs) + 637.333633378831;
                denominator = (denominator * abs) + 793.826512519948;
                denominator = (denominator * abs) + 440.413735824752;
                tail = exponential * numerator / denominator;
            }
            else
            {
                double fraction = abs + 0.65;
                fraction = abs + (4 / fraction);
                fraction = abs + (3 / fraction);
                fraction = abs + (2 / fraction);
                fraction = abs + (1 / fraction);
                tail = exponential / fraction / 2.506628274631;
            }
        }

        return x >= 0 ? tail : 1 - tail;
    }

    /// <summary>The x with P(Z &gt; x) = <paramref name="p"/>, for p in (0, 1): <see cref="UpperTail"/> inverted by
    /// bisection to within 1e-12.</summary>
    public static double UpperQuantile(double p)
    {
        if (!(p is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "p must be above 0 and below 1.");
        }

        double low = -40;
        double high = 40;
        while (high - low > 1e-12)
        {
            double middle = (low + high) / 2;
            if (UpperTail(middle) > p)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return (low + high) / 2;
    }
}
