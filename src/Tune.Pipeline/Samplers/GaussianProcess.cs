namespace Tune.Pipeline.Samplers;

/// <summary>
/// A zero-mean Gaussian process with a Matern 5/2 ARD kernel over encoded points, fitted by maximising the log
/// marginal likelihood plus log priors on its hyperparameters (type-II MAP).
/// </summary>
/// <remarks>
/// Rasmussen and Williams, <i>Gaussian Processes for Machine Learning</i> (2006): Matern 5/2 kernel eq. 4.17,
/// k(r) = s2 (1 + sqrt(5) r + 5/3 r^2) exp(-sqrt(5) r) with r^2 = sum_i (x_i - x'_i)^2 / l_i^2; predictive mean and
/// variance Algorithm 2.1; marginal-likelihood gradient eq. 5.9, dL/dtheta = 1/2 tr((alpha alpha^T - K^-1) dK/dtheta).
/// Categorical dimensions enter r^2 as 1/l_i^2 when the categories differ and 0 otherwise (a Hamming-distance
/// kernel). Length scales get the log-normal prior LN(sqrt(2) + ln(d)/2, sqrt(3)) of Hvarfner, Hellsten and Nardi,
/// "Vanilla Bayesian optimization performs great in high dimensions" (ICML 2024), which scales with the dimension.
/// </remarks>
internal sealed class GaussianProcess
{
    private const double Sqrt5 = 2.23606797749979;
    private const double MinNoise = 1e-6;
    private const double Jitter = 1e-9;

    private readonly double[] _x;
    private readonly bool[] _categorical;
    private readonly int _n;
    private readonly int _d;
    private readonly double[] _invLs2;
    private double[] _theta = [];
    private double[] _lInverse = [];
    private double[] _kInverse = [];
    private double[] _alpha = [];

    private GaussianProcess(double[] x, int n, int d, bool[] categorical)
    {
        _x = x;
        _n = n;
        _d = d;
        _categorical = categorical;
        _invLs2 = new double[d];
    }

    public int Count => _n;

    public double SignalVariance { get; private set; }

    public double Noise { get; private set; }

    public ReadOnlySpan<double> InverseSquaredLengthScales => _invLs2;

    /// <summary>
    /// Fits the hyperparameters to standardised targets <paramref name="y"/> (using only <paramref name="fitRows"/>
    /// when given, to bound the cost) and factorises the kernel matrix of all points.
    /// </summary>
    public static GaussianProcess Fit(double[] x, int n, int d, bool[] categorical, double[] y, int maxIterations, IReadOnlyList<int>? fitRows = null)
    {
        double[] theta;
        if (fitRows is null || fitRows.Count >= n)
        {
            theta = FitHyperparameters(x, n, d, categorical, y, maxIterations);
        }
        else
        {
            var subsetX = new double[fitRows.Count * d];
            var subsetY = new double[fitRows.Count];
            for (var r = 0; r < fitRows.Count; r++)
            {
                x.AsSpan(fitRows[r] * d, d).CopyTo(subsetX.AsSpan(r * d, d));
                subsetY[r] = y[fitRows[r]];
            }

            theta = FitHyperparameters(subsetX, fitRows.Count, d, categorical, subsetY, maxIterations);
        }

        var gp = new GaussianProcess(x, n, d, categorical);
        var k = new double[n * n];
        gp.SetHyperparameters(theta);
        if (!gp.Factorise(y, k))
        {
            // Hyperparameters at a bound can leave the matrix singular; a larger noise always factorises.
            theta[d + 1] = Math.Log(1e-2);
            gp.SetHyperparameters(theta);
            gp.Factorise(y, k);
        }

        return gp;
    }

    private static double[] FitHyperparameters(double[] x, int n, int d, bool[] categorical, double[] y, int maxIterations)
    {
        var gp = new GaussianProcess(x, n, d, categorical);
        var priorMean = Math.Sqrt(2.0) + (0.5 * Math.Log(Math.Max(d, 1)));
        var priorVariance = 3.0;
        var theta = new double[d + 2];
        var lower = new double[d + 2];
        var upper = new double[d + 2];
        for (var i = 0; i < d; i++)
        {
            theta[i] = 0.0;
            lower[i] = Math.Log(1e-3);
            upper[i] = Math.Log(1e3);
        }

        theta[d] = 0.0;
        lower[d] = Math.Log(0.05);
        upper[d] = Math.Log(20.0);
        theta[d + 1] = Math.Log(1e-4);
        lower[d + 1] = Math.Log(1e-7);
        upper[d + 1] = Math.Log(0.2);

        var k = new double[n * n];
        double Objective(ReadOnlySpan<double> t, Span<double> gradient)
        {
            var value = gp.NegativeLogPosterior(t, y, k, gradient);
            for (var i = 0; i < d; i++)
            {
                var z = t[i] - priorMean;
                value += 0.5 * z * z / priorVariance;
                gradient[i] += z / priorVariance;
            }

            // Signal variance near 1 for standardised targets; noise pulled towards small values (deterministic
            // objectives are the common case) but free to grow when the model cannot interpolate.
            value += 0.5 * t[d] * t[d] / 2.0;
            gradient[d] += t[d] / 2.0;
            var noiseZ = t[d + 1] - Math.Log(1e-4);
            value += 0.5 * noiseZ * noiseZ / 9.0;
            gradient[d + 1] += noiseZ / 9.0;
            return value;
        }

        Lbfgs.Minimize(Objective, theta, maxIterations, lower, upper);
        return theta;
    }

    /// <summary>Predicts the latent mean and variance at <paramref name="point"/>; <paramref name="k"/> and <paramref name="w"/> are scratch of length n.</summary>
    public (double Mean, double Variance) Predict(ReadOnlySpan<double> point, Span<double> k, Span<double> w)
    {
        CrossKernel(point, k);
        var mean = DenseMath.Dot(k, _alpha);
        for (var a = 0; a < _n; a++)
        {
            w[a] = DenseMath.Dot(_lInverse.AsSpan(a * _n, a + 1), k[..(a + 1)]);
        }

        var variance = SignalVariance - DenseMath.Dot(w[.._n], w[.._n]);
        return (mean, Math.Max(variance, 1e-12));
    }

    /// <summary>
    /// Predicts mean and variance with their gradients with respect to the coordinates flagged in <paramref name="free"/>.
    /// </summary>
    public (double Mean, double Variance) PredictWithGradient(ReadOnlySpan<double> point, bool[] free, Span<double> meanGradient, Span<double> varianceGradient, Span<double> k, Span<double> v, Span<double> g)
    {
        CrossKernel(point, k, g);
        var mean = DenseMath.Dot(k, _alpha);
        for (var a = 0; a < _n; a++)
        {
            v[a] = DenseMath.Dot(_kInverse.AsSpan(a * _n, _n), k[.._n]);
        }

        var variance = SignalVariance - DenseMath.Dot(k[.._n], v[.._n]);
        for (var i = 0; i < _d; i++)
        {
            meanGradient[i] = 0.0;
            varianceGradient[i] = 0.0;
            if (!free[i])
            {
                continue;
            }

            double dm = 0.0, dv = 0.0;
            for (var a = 0; a < _n; a++)
            {
                // dk_a/dx_i = -(5/3) s2 (1 + sqrt5 r) exp(-sqrt5 r) (x_i - X_ai) / l_i^2, with g_a holding the factor before the difference.
                var dk = -g[a] * _invLs2[i] * (point[i] - _x[(a * _d) + i]);
                dm += dk * _alpha[a];
                dv += dk * v[a];
            }

            meanGradient[i] = dm;
            varianceGradient[i] = -2.0 * dv;
        }

        return (mean, variance);
    }

    private void CrossKernel(ReadOnlySpan<double> point, Span<double> k, Span<double> g = default)
    {
        for (var a = 0; a < _n; a++)
        {
            var r2 = ScaledSquaredDistance(point, _x.AsSpan(a * _d, _d));

            var r = Math.Sqrt(r2);
            var e = Math.Exp(-Sqrt5 * r);
            k[a] = SignalVariance * (1.0 + (Sqrt5 * r) + (5.0 / 3.0 * r2)) * e;
            if (!g.IsEmpty)
            {
                g[a] = SignalVariance * (5.0 / 3.0) * (1.0 + (Sqrt5 * r)) * e;
            }
        }
    }

    /// <summary>
    /// The squared distance scaled by the length scales: sum of (a_i - b_i)^2 / l_i^2 over numeric dimensions, and
    /// 1 / l_i^2 for each choice dimension where the two differ (a Hamming term).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private double ScaledSquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var r2 = 0.0;
        for (var i = 0; i < _d; i++)
        {
            if (_categorical[i])
            {
                r2 += a[i] == b[i] ? 0.0 : _invLs2[i];
            }
            else
            {
                var diff = a[i] - b[i];
                r2 += diff * diff * _invLs2[i];
            }
        }

        return r2;
    }

    /// <summary>
    /// Conditions on the first <paramref name="n"/> points of <paramref name="x"/> with targets <paramref name="y"/>,
    /// keeping this process's hyperparameters (no refit): how fantasised observations of pending trials enter.
    /// </summary>
    public GaussianProcess Condition(double[] x, int n, double[] y)
    {
        var gp = new GaussianProcess(x, n, _d, _categorical);
        var theta = (double[])_theta.Clone();
        gp.SetHyperparameters(theta);
        var k = new double[n * n];
        if (!gp.Factorise(y, k))
        {
            theta[_d + 1] = Math.Max(theta[_d + 1], Math.Log(1e-2));
            gp.SetHyperparameters(theta);
            gp.Factorise(y, k);
        }

        return gp;
    }

    private void SetHyperparameters(ReadOnlySpan<double> theta)
    {
        _theta = theta.ToArray();
        for (var i = 0; i < _d; i++)
        {
            _invLs2[i] = Math.Exp(-2.0 * theta[i]);
        }

        SignalVariance = Math.Exp(theta[_d]);
        Noise = MinNoise + Math.Exp(theta[_d + 1]);
    }

    private void BuildKernel(double[] k)
    {
        for (var a = 0; a < _n; a++)
        {
            k[(a * _n) + a] = SignalVariance + Noise + Jitter;
            var rowA = _x.AsSpan(a * _d, _d);
            for (var b = 0; b < a; b++)
            {
                var rowB = _x.AsSpan(b * _d, _d);
                var r2 = ScaledSquaredDistance(rowA, rowB);

                var r = Math.Sqrt(r2);
                var value = SignalVariance * (1.0 + (Sqrt5 * r) + (5.0 / 3.0 * r2)) * Math.Exp(-Sqrt5 * r);
                k[(a * _n) + b] = value;
                k[(b * _n) + a] = value;
            }
        }
    }

    private bool Factorise(double[] y, double[] k)
    {
        BuildKernel(k);
        if (!DenseMath.Cholesky(k, _n))
        {
            return false;
        }

        _alpha = (double[])y.Clone();
        DenseMath.ForwardSolve(k, _n, _alpha);
        DenseMath.BackSolve(k, _n, _alpha);
        _lInverse = DenseMath.InvertLower(k, _n);
        _kInverse = DenseMath.InverseFromLowerInverse(_lInverse, _n);
        return true;
    }

    private double NegativeLogPosterior(ReadOnlySpan<double> theta, double[] y, double[] k, Span<double> gradient)
    {
        SetHyperparameters(theta);
        gradient.Clear();
        if (!Factorise(y, k))
        {
            return double.PositiveInfinity;
        }

        var n = _n;
        var value = 0.5 * DenseMath.Dot(y, _alpha);
        for (var a = 0; a < n; a++)
        {
            value += Math.Log(k[(a * n) + a]);
        }

        value += 0.5 * n * Math.Log(2.0 * Math.PI);

        // W = alpha alpha^T - K^-1; dNLL/dtheta = -1/2 tr(W dK/dtheta).
        double signalTerm = 0.0, trace = 0.0;
        for (var a = 0; a < n; a++)
        {
            var wDiagonal = (_alpha[a] * _alpha[a]) - _kInverse[(a * n) + a];
            trace += wDiagonal;
            signalTerm += wDiagonal * SignalVariance;
            var rowA = _x.AsSpan(a * _d, _d);
            for (var b = 0; b < a; b++)
            {
                var w = (_alpha[a] * _alpha[b]) - _kInverse[(a * n) + b];
                var rowB = _x.AsSpan(b * _d, _d);
                var r2 = ScaledSquaredDistance(rowA, rowB);

                var r = Math.Sqrt(r2);
                var e = Math.Exp(-Sqrt5 * r);
                var kab = SignalVariance * (1.0 + (Sqrt5 * r) + (5.0 / 3.0 * r2)) * e;
                signalTerm += 2.0 * w * kab;
                var factor = 2.0 * w * SignalVariance * (5.0 / 3.0) * (1.0 + (Sqrt5 * r)) * e;
                for (var i = 0; i < _d; i++)
                {
                    double squared;
                    if (_categorical[i])
                    {
                        squared = rowA[i] == rowB[i] ? 0.0 : 1.0;
                    }
                    else
                    {
                        var diff = rowA[i] - rowB[i];
                        squared = diff * diff;
                    }

                    gradient[i] -= 0.5 * factor * squared * _invLs2[i];
                }
            }
        }

        gradient[_d] = -0.5 * signalTerm;
        gradient[_d + 1] = -0.5 * trace * (Noise - MinNoise);
        return value;
    }
}
