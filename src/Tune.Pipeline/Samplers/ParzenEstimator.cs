namespace Tune.Pipeline.Samplers;

/// <summary>
/// A Parzen (kernel) density over an encoded space: one component per observation plus a prior component, with
/// truncated-normal kernels on numeric coordinates in [0, 1] and smoothed one-hot kernels on categorical ones.
/// </summary>
/// <remarks>
/// Bergstra, Bardenet, Bengio and Kegl, "Algorithms for hyper-parameter optimization", NeurIPS 2011, section 4
/// (adaptive Parzen estimators); bandwidths and the prior follow Watanabe, "Tree-structured Parzen estimator:
/// understanding its algorithm components and their roles for better empirical performance" (arXiv:2304.11127,
/// 2023), section 3: multivariate bandwidth sigma = 0.2 n^(-1/(d+4)) (Scott's rule scaled to the range), univariate
/// bandwidth the larger gap to a neighbouring observation, both clipped below by the "magic clip"
/// range / min(100, 1 + components), a prior component N(0.5, 1) of weight <c>priorWeight</c>, and categorical
/// kernels that put priorWeight / components on every category and 1 more on the observed one.
/// </remarks>
internal sealed class ParzenEstimator
{
    private const double LogSqrtTwoPi = 0.91893853320467274178;

    private readonly SpaceEncoding _encoding;
    private readonly bool _multivariate;
    private readonly int _components;
    private readonly double[] _weights;
    private readonly double[] _logWeights;
    private readonly double[][] _mu;
    private readonly double[][] _inverseSigma;
    private readonly double[][] _logConstant;
    private readonly double[][] _lowCdf;
    private readonly double[][] _highCdf;
    private readonly double[][] _sigma;
    private readonly double[][] _logProbabilities;

    public ParzenEstimator(SpaceEncoding encoding, double[] points, int count, double[] weights, double priorWeight, bool multivariate)
    {
        _encoding = encoding;
        _multivariate = multivariate;
        var d = encoding.Count;
        _components = count + 1;
        _weights = new double[_components];
        var total = 0.0;
        for (var k = 0; k < count; k++)
        {
            _weights[k] = weights[k];
            total += weights[k];
        }

        _weights[count] = Math.Max(priorWeight, 1e-12);
        total += _weights[count];
        _logWeights = new double[_components];
        for (var k = 0; k < _components; k++)
        {
            _weights[k] /= total;
            _logWeights[k] = Math.Log(_weights[k]);
        }

        _mu = new double[d][];
        _sigma = new double[d][];
        _inverseSigma = new double[d][];
        _logConstant = new double[d][];
        _lowCdf = new double[d][];
        _highCdf = new double[d][];
        _logProbabilities = new double[d][];
        var minSigma = 1.0 / Math.Min(100.0, 1.0 + _components);
        var scott = 0.2 * Math.Pow(Math.Max(count, 1), -1.0 / (d + 4));
        for (var i = 0; i < d; i++)
        {
            var dimension = encoding.Dimensions[i];
            if (dimension.Kind == EncodedKind.Categorical)
            {
                var choices = dimension.Count;
                var table = new double[_components * choices];
                var floor = priorWeight / _components;
                for (var k = 0; k < _components; k++)
                {
                    var observed = k < count ? (int)points[(k * d) + i] : -1;
                    var rowTotal = (floor * choices) + (observed >= 0 ? 1.0 : 0.0);
                    for (var c = 0; c < choices; c++)
                    {
                        var mass = k < count ? floor + (c == observed ? 1.0 : 0.0) : 1.0;
                        table[(k * choices) + c] = k < count ? Math.Log(mass / rowTotal) : -Math.Log(choices);
                    }
                }

                _logProbabilities[i] = table;
                continue;
            }

            var mu = new double[_components];
            var sigma = new double[_components];
            for (var k = 0; k < count; k++)
            {
                mu[k] = points[(k * d) + i];
            }

            mu[count] = 0.5;
            if (multivariate)
            {
                Array.Fill(sigma, scott, 0, count);
            }
            else
            {
                UnivariateBandwidths(mu, sigma, count);
            }

            sigma[count] = 1.0;
            var inverse = new double[_components];
            var constant = new double[_components];
            var low = new double[_components];
            var high = new double[_components];
            for (var k = 0; k < _components; k++)
            {
                sigma[k] = Math.Clamp(sigma[k], minSigma, 1.0);
                inverse[k] = 1.0 / sigma[k];
                low[k] = FastCdf((0.0 - mu[k]) * inverse[k]);
                high[k] = FastCdf((1.0 - mu[k]) * inverse[k]);
                constant[k] = -Math.Log(sigma[k]) - LogSqrtTwoPi - Math.Log(Math.Max(high[k] - low[k], 1e-300));
            }

            _mu[i] = mu;
            _sigma[i] = sigma;
            _inverseSigma[i] = inverse;
            _logConstant[i] = constant;
            _lowCdf[i] = low;
            _highCdf[i] = high;
        }
    }

    /// <summary>Draws a point from the density into <paramref name="destination"/>.</summary>
    public void Sample(Random random, Span<double> destination)
    {
        var component = _multivariate ? PickComponent(random) : -1;
        for (var i = 0; i < _encoding.Count; i++)
        {
            var k = _multivariate ? component : PickComponent(random);
            var dimension = _encoding.Dimensions[i];
            if (dimension.Kind == EncodedKind.Categorical)
            {
                var table = _logProbabilities[i].AsSpan(k * dimension.Count, dimension.Count);
                var u = random.NextDouble();
                var chosen = dimension.Count - 1;
                for (var c = 0; c < dimension.Count; c++)
                {
                    u -= Math.Exp(table[c]);
                    if (u < 0)
                    {
                        chosen = c;
                        break;
                    }
                }

                destination[i] = chosen;
                continue;
            }

            var p = _lowCdf[i][k] + (random.NextDouble() * (_highCdf[i][k] - _lowCdf[i][k]));
            p = Math.Clamp(p, 1e-300, 1.0 - 1e-16);
            var x = Math.Clamp(_mu[i][k] + (_sigma[i][k] * NormalDistribution.Quantile(p)), 0.0, 1.0);
            destination[i] = dimension.Kind == EncodedKind.Discrete ? _encoding.Snap(i, x) : x;
        }
    }

    /// <summary>The log density at an encoded point.</summary>
    public double LogDensity(ReadOnlySpan<double> point, Span<double> scratch)
    {
        var d = _encoding.Count;
        if (_multivariate)
        {
            var terms = scratch[.._components];
            _logWeights.CopyTo(terms);
            for (var i = 0; i < d; i++)
            {
                AddLogKernel(i, point[i], terms);
            }

            return LogSumExp(terms);
        }

        var sum = 0.0;
        for (var i = 0; i < d; i++)
        {
            var terms = scratch[.._components];
            _logWeights.CopyTo(terms);
            AddLogKernel(i, point[i], terms);
            sum += LogSumExp(terms);
        }

        return sum;
    }

    /// <summary>
    /// The normal distribution function to about 1.2e-7 relative error in the tail, fast enough for thousands of
    /// kernels per suggestion (Numerical Recipes, 3rd ed., section 6.2.2, the Chebyshev fit <c>erfccheb</c>'s
    /// simpler predecessor erfcc).
    /// </summary>
    internal static double FastCdf(double x)
    {
        var z = Math.Abs(x) / Math.Sqrt(2.0);
        var t = 1.0 / (1.0 + (0.5 * z));
        var poly = -0.82215223 + (t * 0.17087277);
        poly = 1.48851587 + (t * poly);
        poly = -1.13520398 + (t * poly);
        poly = 0.27886807 + (t * poly);
        poly = -0.18628806 + (t * poly);
        poly = 0.09678418 + (t * poly);
        poly = 0.37409196 + (t * poly);
        poly = 1.00002368 + (t * poly);
        var erfc = t * Math.Exp((-z * z) - 1.26551223 + (t * poly));
        return x >= 0 ? 1.0 - (0.5 * erfc) : 0.5 * erfc;
    }

    private static void UnivariateBandwidths(double[] mu, double[] sigma, int count)
    {
        // Bandwidth of each observation: the larger gap to its neighbours among the observations and the prior's
        // centre, bounded by the ends of the range (Bergstra et al. 2011, section 4.1).
        var order = Enumerable.Range(0, count + 1).OrderBy(k => mu[k]).ToArray();
        for (var position = 0; position < order.Length; position++)
        {
            var left = position == 0 ? 0.0 : mu[order[position - 1]];
            var right = position == order.Length - 1 ? 1.0 : mu[order[position + 1]];
            var centre = mu[order[position]];
            sigma[order[position]] = Math.Max(centre - left, right - centre);
        }
    }

    private static double LogSumExp(Span<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var value in values)
        {
            max = Math.Max(max, value);
        }

        if (double.IsNegativeInfinity(max))
        {
            return max;
        }

        var sum = 0.0;
        foreach (var value in values)
        {
            sum += Math.Exp(value - max);
        }

        return max + Math.Log(sum);
    }

    private void AddLogKernel(int i, double x, Span<double> terms)
    {
        var dimension = _encoding.Dimensions[i];
        if (dimension.Kind == EncodedKind.Categorical)
        {
            var table = _logProbabilities[i];
            var c = (int)x;
            for (var k = 0; k < terms.Length; k++)
            {
                terms[k] += table[(k * dimension.Count) + c];
            }

            return;
        }

        var mu = _mu[i];
        var inverse = _inverseSigma[i];
        var constant = _logConstant[i];
        for (var k = 0; k < terms.Length; k++)
        {
            var z = (x - mu[k]) * inverse[k];
            terms[k] += constant[k] - (0.5 * z * z);
        }
    }

    private int PickComponent(Random random)
    {
        var u = random.NextDouble();
        for (var k = 0; k < _components; k++)
        {
            u -= _weights[k];
            if (u < 0)
            {
                return k;
            }
        }

        return _components - 1;
    }
}
