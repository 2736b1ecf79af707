namespace Tune.Pipeline.Samplers;

/// <summary>
/// Limited-memory BFGS minimisation with an Armijo backtracking line search and optional box bounds (projection).
/// </summary>
/// <remarks>
/// Nocedal and Wright, <i>Numerical Optimization</i> (2nd ed., 2006), Algorithm 7.4 (two-loop recursion) and
/// Algorithm 3.1 (backtracking). Bounds are handled by projecting each step and freezing coordinates held at a
/// bound whose gradient points outward, a simple form of the projected-gradient idea in L-BFGS-B.
/// </remarks>
internal static class Lbfgs
{
    /// <summary>The objective: returns f(x) and writes the gradient into the second argument.</summary>
    public delegate double Objective(ReadOnlySpan<double> x, Span<double> gradient);

    public static double Minimize(Objective objective, double[] x, int maxIterations, double[]? lower = null, double[]? upper = null, int memory = 6)
    {
        var n = x.Length;
        var g = new double[n];
        var f = objective(x, g);
        var s = new double[memory][];
        var y = new double[memory][];
        var rho = new double[memory];
        var count = 0;
        var alphas = new double[memory];
        var direction = new double[n];
        var trial = new double[n];
        var trialGradient = new double[n];
        var free = new bool[n];
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            var gradientNorm = 0.0;
            for (var i = 0; i < n; i++)
            {
                free[i] = !(lower is not null && x[i] <= lower[i] && g[i] > 0) && !(upper is not null && x[i] >= upper[i] && g[i] < 0);
                if (free[i])
                {
                    gradientNorm = Math.Max(gradientNorm, Math.Abs(g[i]));
                }
            }

            if (gradientNorm < 1e-8 || !double.IsFinite(f))
            {
                break;
            }

            for (var i = 0; i < n; i++)
            {
                direction[i] = free[i] ? -g[i] : 0.0;
            }

            for (var k = count - 1; k >= 0; k--)
            {
                alphas[k] = rho[k] * Dot(s[k], direction, free);
                Axpy(-alphas[k], y[k], direction, free);
            }

            if (count > 0)
            {
                var last = count - 1;
                var yy = Dot(y[last], y[last], free);
                var gammaScale = yy > 0 ? Dot(s[last], y[last], free) / yy : 1.0;
                for (var i = 0; i < n; i++)
                {
                    direction[i] *= gammaScale;
                }
            }

            for (var k = 0; k < count; k++)
            {
                var beta = rho[k] * Dot(y[k], direction, free);
                Axpy(alphas[k] - beta, s[k], direction, free);
            }

            var slope = Dot(g, direction, free);
            if (!(slope < 0))
            {
                // Not a descent direction (curvature information went stale): restart from steepest descent.
                count = 0;
                for (var i = 0; i < n; i++)
                {
                    direction[i] = free[i] ? -g[i] : 0.0;
                }

                slope = Dot(g, direction, free);
                if (!(slope < 0))
                {
                    break;
                }
            }

            var step = iteration == 0 && count == 0 ? Math.Min(1.0, 1.0 / Math.Max(1e-12, gradientNorm)) : 1.0;
            var accepted = false;
            double fTrial = double.NaN;
            for (var attempt = 0; attempt < 20; attempt++)
            {
                for (var i = 0; i < n; i++)
                {
                    var value = x[i] + (step * direction[i]);
                    if (lower is not null)
                    {
                        value = Math.Max(value, lower[i]);
                    }

                    if (upper is not null)
                    {
                        value = Math.Min(value, upper[i]);
                    }

                    trial[i] = value;
                }

                fTrial = objective(trial, trialGradient);
                var decrease = 0.0;
                for (var i = 0; i < n; i++)
                {
                    decrease += g[i] * (trial[i] - x[i]);
                }

                if (double.IsFinite(fTrial) && fTrial <= f + (1e-4 * Math.Min(decrease, 0.0)))
                {
                    accepted = true;
                    break;
                }

                step *= 0.5;
            }

            if (!accepted)
            {
                break;
            }

            var slot = count < memory ? count : 0;
            if (count == memory)
            {
                // Drop the oldest pair.
                var (oldS, oldY) = (s[0], y[0]);
                Array.Copy(s, 1, s, 0, memory - 1);
                Array.Copy(y, 1, y, 0, memory - 1);
                Array.Copy(rho, 1, rho, 0, memory - 1);
                s[memory - 1] = oldS;
                y[memory - 1] = oldY;
                slot = memory - 1;
            }

            s[slot] ??= new double[n];
            y[slot] ??= new double[n];
            var sy = 0.0;
            for (var i = 0; i < n; i++)
            {
                s[slot][i] = trial[i] - x[i];
                y[slot][i] = trialGradient[i] - g[i];
                sy += s[slot][i] * y[slot][i];
            }

            var improvement = f - fTrial;
            Array.Copy(trial, x, n);
            Array.Copy(trialGradient, g, n);
            f = fTrial;
            if (sy > 1e-12)
            {
                rho[slot] = 1.0 / sy;
                count = Math.Min(count + 1, memory);
            }
            else
            {
                rho[slot] = 0.0;
            }

            if (improvement < 1e-10 * Math.Max(1.0, Math.Abs(f)))
            {
                break;
            }
        }

        return f;
    }

    private static double Dot(double[] a, double[] b, bool[] free)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            if (free[i])
            {
                sum += a[i] * b[i];
            }
        }

        return sum;
    }

    private static void Axpy(double alpha, double[] x, double[] y, bool[] free)
    {
        for (var i = 0; i < x.Length; i++)
        {
            if (free[i])
            {
                y[i] += alpha * x[i];
            }
        }
    }
}
