namespace Tune.Pipeline.Samplers;

/// <summary>
/// Maximises log expected improvement of a fitted <see cref="GaussianProcess"/> over an encoded space (see
/// <see cref="GpSampler"/> for the method and its sources).
/// </summary>
internal sealed class AcquisitionOptimizer
{
    private const double LogSqrtTwoPi = 0.91893853320467274178;
    private const int MaxValuesPerSweep = 64;

    private readonly GaussianProcess _gp;
    private readonly SpaceEncoding _encoding;
    private readonly double _incumbent;
    private readonly Random _random;
    private readonly double[] _k;
    private readonly double[] _w;
    private readonly double[] _g;
    private readonly double[] _meanGradient;
    private readonly double[] _varianceGradient;
    private readonly bool[] _continuous;

    public AcquisitionOptimizer(GaussianProcess gp, SpaceEncoding encoding, double incumbent, Random random)
    {
        _gp = gp;
        _encoding = encoding;
        _incumbent = incumbent;
        _random = random;
        _k = new double[gp.Count];
        _w = new double[gp.Count];
        _g = new double[gp.Count];
        _meanGradient = new double[encoding.Count];
        _varianceGradient = new double[encoding.Count];
        _continuous = [.. encoding.Dimensions.Select(d => d.Kind == EncodedKind.Continuous)];
    }

    /// <summary>log EI and its derivatives with respect to the predictive mean and standard deviation (minimisation).</summary>
    public static (double Value, double DMean, double DSigma) LogExpectedImprovement(double mean, double sigma, double incumbent)
    {
        var z = (incumbent - mean) / sigma;
        var (logH, ratio) = LogH(z);
        return (Math.Log(sigma) + logH, -ratio / sigma, (1.0 - (ratio * z)) / sigma);
    }

    /// <summary>log h(z) for h(z) = phi(z) + z Phi(z), and Phi(z) / h(z) = d log h / dz.</summary>
    public static (double LogH, double Ratio) LogH(double z)
    {
        if (z > -3.0)
        {
            var cdf = NormalDistribution.Cdf(z);
            var h = NormalDistribution.Density(z) + (z * cdf);
            return (Math.Log(h), cdf / h);
        }

        // h(-t) = phi(t) (1 - t R(t)) with the Mills ratio R(t) = Phi(-t) / phi(t) from its continued fraction
        // R(t) = 1 / (t + 1 / (t + 2 / (t + 3 / (t + ...)))), which converges quickly for t >= 3.
        var t = Math.Min(-z, 1e4);
        var f = t;
        for (var k = 60; k >= 1; k--)
        {
            f = t + (k / f);
        }

        var mills = 1.0 / f;
        var q = Math.Max(1.0 - (t * mills), 1e-300);
        return ((-0.5 * t * t) - LogSqrtTwoPi + Math.Log(q), mills / q);
    }

    public double Evaluate(ReadOnlySpan<double> point)
    {
        var (mean, variance) = _gp.Predict(point, _k, _w);
        return LogExpectedImprovement(mean, Math.Sqrt(variance), _incumbent).Value;
    }

    /// <summary>Finds the point of highest log EI; <paramref name="x"/> and <paramref name="y"/> are the (transformed) training data.</summary>
    public double[] Maximize(double[] x, double[] y, int completedCount, int candidates, int localStarts)
    {
        var d = _encoding.Count;
        var pool = new double[candidates * d];
        var scores = new double[candidates];
        var elite = Enumerable.Range(0, completedCount).OrderBy(a => y[a]).ThenBy(a => a).Take(5).ToArray();
        for (var c = 0; c < candidates; c++)
        {
            var point = pool.AsSpan(c * d, d);
            if (c % 2 == 0 || elite.Length == 0)
            {
                _encoding.SampleUniform(_random, point);
            }
            else
            {
                Perturb(x.AsSpan(elite[_random.Next(elite.Length)] * d, d), point);
            }

            scores[c] = Evaluate(point);
        }

        var order = Enumerable.Range(0, candidates).OrderByDescending(c => scores[c]).ThenBy(c => c).ToArray();
        double[]? best = null;
        var bestScore = double.NegativeInfinity;
        for (var s = 0; s < Math.Min(localStarts, candidates); s++)
        {
            var start = pool.AsSpan(order[s] * d, d).ToArray();
            var score = Refine(start, scores[order[s]]);
            if (score > bestScore || best is null)
            {
                bestScore = score;
                best = start;
            }
        }

        return best!;
    }

    private void Perturb(ReadOnlySpan<double> origin, Span<double> point)
    {
        var d = origin.Length;
        var scale = 0.2 * Math.Pow(10.0, -2.0 * _random.NextDouble());
        for (var i = 0; i < d; i++)
        {
            var dimension = _encoding.Dimensions[i];
            switch (dimension.Kind)
            {
                case EncodedKind.Categorical:
                    point[i] = _random.NextDouble() < 1.0 / d ? _random.Next(dimension.Count) : origin[i];
                    break;
                case EncodedKind.Discrete:
                    point[i] = _encoding.Snap(i, Math.Clamp(origin[i] + (scale * SpaceEncoding.NextGaussian(_random)), 0.0, 1.0));
                    break;
                default:
                    point[i] = Math.Clamp(origin[i] + (scale * SpaceEncoding.NextGaussian(_random)), 0.0, 1.0);
                    break;
            }
        }
    }

    private double Refine(double[] point, double score)
    {
        var hasContinuous = _continuous.Any(c => c);
        var hasDiscrete = !_continuous.All(c => c);
        for (var round = 0; round < 3; round++)
        {
            if (hasContinuous)
            {
                score = Math.Max(score, OptimiseContinuous(point));
            }

            if (!hasDiscrete)
            {
                break;
            }

            var improved = false;
            for (var i = 0; i < point.Length; i++)
            {
                if (_continuous[i])
                {
                    continue;
                }

                var current = point[i];
                var bestValue = current;
                foreach (var value in Alternatives(i, current))
                {
                    point[i] = value;
                    var candidate = Evaluate(point);
                    if (candidate > score + 1e-12)
                    {
                        score = candidate;
                        bestValue = value;
                        improved = true;
                    }
                }

                point[i] = bestValue;
            }

            if (!improved)
            {
                break;
            }
        }

        return score;
    }

    private IEnumerable<double> Alternatives(int dimension, double current)
    {
        var info = _encoding.Dimensions[dimension];
        if (info.Kind == EncodedKind.Categorical)
        {
            if (info.Count <= MaxValuesPerSweep)
            {
                for (var c = 0; c < info.Count; c++)
                {
                    yield return c;
                }
            }
            else
            {
                for (var c = 0; c < MaxValuesPerSweep; c++)
                {
                    yield return _random.Next(info.Count);
                }
            }

            yield break;
        }

        var listed = _encoding.DiscreteUnits[dimension];
        if (listed.Length > 0)
        {
            var index = Array.BinarySearch(listed, current);
            index = index < 0 ? Math.Min(~index, listed.Length - 1) : index;
            var from = Math.Max(0, index - (MaxValuesPerSweep / 2));
            var to = Math.Min(listed.Length, from + MaxValuesPerSweep);
            for (var j = from; j < to; j++)
            {
                yield return listed[j];
            }

            yield break;
        }

        // A very large discrete range: geometric steps either side of the current cell.
        for (var step = 1.0 / info.Count; step < 0.5; step *= 2.0)
        {
            yield return _encoding.Snap(dimension, Math.Clamp(current - step, 0.0, 1.0));
            yield return _encoding.Snap(dimension, Math.Clamp(current + step, 0.0, 1.0));
        }
    }

    private double OptimiseContinuous(double[] point)
    {
        var d = point.Length;
        var lower = new double[d];
        var upper = new double[d];
        for (var i = 0; i < d; i++)
        {
            lower[i] = _continuous[i] ? 0.0 : point[i];
            upper[i] = _continuous[i] ? 1.0 : point[i];
        }

        var v = new double[_gp.Count];
        double Objective(ReadOnlySpan<double> p, Span<double> gradient)
        {
            var (mean, variance) = _gp.PredictWithGradient(p, _continuous, _meanGradient, _varianceGradient, _k, v, _g);
            var flat = variance < 1e-12;
            var sigma = Math.Sqrt(Math.Max(variance, 1e-12));
            var (value, dMean, dSigma) = LogExpectedImprovement(mean, sigma, _incumbent);
            for (var i = 0; i < d; i++)
            {
                var dSigmaDx = flat ? 0.0 : _varianceGradient[i] / (2.0 * sigma);
                gradient[i] = _continuous[i] ? -((dMean * _meanGradient[i]) + (dSigma * dSigmaDx)) : 0.0;
            }

            return -value;
        }

        return -Lbfgs.Minimize(Objective, point, 25, lower, upper);
    }
}
