namespace Tune.Pipeline.Cli.Gate;

/// <summary>Student's t distribution: its distribution function and quantiles, for any positive degrees of freedom.</summary>
/// <remarks>
/// The distribution function is the regularized incomplete beta function, P(T ≤ t) = 1 − ½·I_{ν/(ν+t²)}(ν/2, ½) for
/// t ≥ 0 (Abramowitz and Stegun 26.7.1 with 26.5.27), evaluated by its continued fraction with the modified Lentz
/// method and ln Γ by Lanczos' approximation (Press et al., Numerical Recipes, 3rd ed., §6.1 and §6.4). Quantiles are
/// found by bisection on it: Welch's degrees of freedom are not whole numbers, so no table would do.
/// </remarks>
internal static class StudentT
{
    private const double Epsilon = 1e-15;
    private const double Tiny = 1e-300;

    /// <summary>Gets P(T ≤ t) for <paramref name="degreesOfFreedom"/> degrees of freedom.</summary>
    public static double Cdf(double t, double degreesOfFreedom)
    {
        var tail = 0.5 * RegularizedIncompleteBeta(degreesOfFreedom / 2, 0.5, degreesOfFreedom / (degreesOfFreedom + (t * t)));
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>Gets the t with P(T ≤ t) = <paramref name="probability"/>, for a probability in (0.5, 1).</summary>
    public static double Quantile(double probability, double degreesOfFreedom)
    {
        var high = 1.0;
        while (Cdf(high, degreesOfFreedom) < probability)
        {
            high *= 2;
        }

        var low = 0.0;
        for (var i = 0; i < 200 && high - low > 1e-12 * high; i++)
        {
            var middle = (low + high) / 2;
            if (Cdf(middle, degreesOfFreedom) < probability)
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

    private static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + (a * Math.Log(x)) + (b * Math.Log(1 - x)));

        // The continued fraction converges fast only below (a + 1) / (a + b + 2); above it, use I_x(a, b) = 1 − I_{1−x}(b, a).
        return x < (a + 1) / (a + b + 2)
            ? front * ContinuedFraction(a, b, x) / a
            : 1 - (front * ContinuedFraction(b, a, 1 - x) / b);
    }

    private static double ContinuedFraction(double a, double b, double x)
    {
        var c = 1.0;
        var d = NonZero(1 - ((a + b) * x / (a + 1)));
        d = 1 / d;
        var h = d;
        for (var m = 1; m <= 1000; m++)
        {
            var m2 = 2 * m;
            var even = m * (b - m) * x / ((a - 1 + m2) * (a + m2));
            d = 1 / NonZero(1 + (even * d));
            c = NonZero(1 + (even / c));
            h *= d * c;
            var odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2));
            d = 1 / NonZero(1 + (odd * d));
            c = NonZero(1 + (odd / c));
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }

        return h;
    }

    private static double NonZero(double value) => Math.Abs(value) < Tiny ? Tiny : value;

    private static double LogGamma(double x)
    {
        ReadOnlySpan<double> coefficients = [76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5];
        var y = x;
        var tmp = x + 5.5;
        tmp -= (x + 0.5) * Math.Log(tmp);
        var series = 1.000000000190015;
        foreach (var coefficient in coefficients)
        {
            series += coefficient / ++y;
        }

        return -tmp + Math.Log(2.5066282746310005 * series / x);
    }
}
