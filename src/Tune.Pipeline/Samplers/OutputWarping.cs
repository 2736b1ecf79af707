namespace Tune.Pipeline.Samplers;

/// <summary>
/// Standardises losses and applies the Yeo-Johnson power transform whose power maximises the normal likelihood.
/// </summary>
/// <remarks>
/// Yeo and Johnson, "A new family of power transformations to improve normality or symmetry", Biometrika 87(4),
/// 2000, eq. 2.1 (transform) and the profile log-likelihood of section 3. The transform is monotone, so the order of
/// losses (and so the incumbent) is preserved.
/// </remarks>
internal static class OutputWarping
{
    public static void Transform(double[] y)
    {
        Standardise(y);
        var bestLambda = 1.0;
        var bestLikelihood = double.NegativeInfinity;
        var buffer = new double[y.Length];
        var jacobian = 0.0;
        foreach (var value in y)
        {
            jacobian += Math.Sign(value) * Math.Log(Math.Abs(value) + 1.0);
        }

        for (var step = 0; step <= 16; step++)
        {
            var lambda = -2.0 + (0.25 * step);
            for (var i = 0; i < y.Length; i++)
            {
                buffer[i] = YeoJohnson(y[i], lambda);
            }

            var variance = Variance(buffer);
            if (!(variance > 0) || !double.IsFinite(variance))
            {
                continue;
            }

            var likelihood = (-0.5 * y.Length * Math.Log(variance)) + ((lambda - 1.0) * jacobian);
            if (likelihood > bestLikelihood)
            {
                bestLikelihood = likelihood;
                bestLambda = lambda;
            }
        }

        for (var i = 0; i < y.Length; i++)
        {
            y[i] = YeoJohnson(y[i], bestLambda);
        }

        Standardise(y);
    }

    public static double YeoJohnson(double value, double lambda)
    {
        if (value >= 0)
        {
            return Math.Abs(lambda) < 1e-12 ? Math.Log(value + 1.0) : (Math.Pow(value + 1.0, lambda) - 1.0) / lambda;
        }

        return Math.Abs(lambda - 2.0) < 1e-12 ? -Math.Log(1.0 - value) : -(Math.Pow(1.0 - value, 2.0 - lambda) - 1.0) / (2.0 - lambda);
    }

    private static void Standardise(double[] y)
    {
        var mean = y.Average();
        var deviation = Math.Sqrt(Variance(y));
        if (!(deviation > 1e-300) || !double.IsFinite(deviation))
        {
            deviation = 1.0;
        }

        for (var i = 0; i < y.Length; i++)
        {
            y[i] = (y[i] - mean) / deviation;
        }
    }

    private static double Variance(double[] values)
    {
        var mean = values.Average();
        var sum = 0.0;
        foreach (var value in values)
        {
            sum += (value - mean) * (value - mean);
        }

        return sum / values.Length;
    }
}
