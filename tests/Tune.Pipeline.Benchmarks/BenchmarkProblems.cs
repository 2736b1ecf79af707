using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Benchmarks;

/// <summary>One benchmark problem: a search space, a noise-free objective to minimise and its optimum.</summary>
/// <param name="Name">The problem's name in PROBLEMS.md.</param>
/// <param name="Space">The search space.</param>
/// <param name="Objective">The objective, evaluated exactly as PROBLEMS.md writes it.</param>
/// <param name="Optimum">The known minimum.</param>
internal sealed record BenchmarkProblem(string Name, SearchSpace Space, Func<Configuration, double> Objective, double Optimum);

/// <summary>
/// The five problems of shared/bench/PROBLEMS.md. Every expression keeps the document's evaluation order (left to
/// right, explicit parentheses) so that values match the reference to about 1e-13.
/// </summary>
internal static class BenchmarkProblems
{
    private static readonly double[] Alpha = [1.0, 1.2, 3.0, 3.2];

    private static readonly double[,] A =
    {
        { 10.0, 3.0, 17.0, 3.5, 1.7, 8.0 },
        { 0.05, 10.0, 17.0, 0.1, 8.0, 14.0 },
        { 3.0, 3.5, 1.7, 10.0, 17.0, 8.0 },
        { 17.0, 8.0, 0.05, 10.0, 0.1, 14.0 },
    };

    private static readonly double[,] P =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 },
        { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 },
        { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };

    public static IReadOnlyList<BenchmarkProblem> All { get; } =
    [
        new("branin", new SearchSpace([Parameter.Uniform("x0", -5, 10), Parameter.Uniform("x1", 0, 15)]), c => Branin(c.GetDouble("x0"), c.GetDouble("x1")), 0.3978873577297384),
        new("hartmann6", new SearchSpace(Enumerable.Range(0, 6).Select(i => Parameter.Uniform($"x{i}", 0, 1))), c => Hartmann6([.. Enumerable.Range(0, 6).Select(i => c.GetDouble($"x{i}"))]), -3.322368011415515),
        new("rosenbrock4", new SearchSpace(Enumerable.Range(0, 4).Select(i => Parameter.Uniform($"x{i}", -5, 10))), c => Rosenbrock([.. Enumerable.Range(0, 4).Select(i => c.GetDouble($"x{i}"))]), 0.0),
        new("log-bowl", new SearchSpace([Parameter.LogUniform("lr", 1e-5, 1), Parameter.LogUniform("reg", 1e-6, 1e-1)]), c => LogBowl(c.GetDouble("lr"), c.GetDouble("reg")), 0.0),
        new("tabular-mixed", new SearchSpace(
        [
            Parameter.Choice("kernel", ["a", "b", "c"]),
            Parameter.Choice("scaler", ["none", "standard", "minmax"]),
            Parameter.IntRange("depth", 1, 12),
            Parameter.Uniform("frac", 0, 1),
            Parameter.LogUniform("lr", 1e-4, 1),
        ]), c => TabularMixed((string)c["kernel"], (string)c["scaler"], c.GetInt64("depth"), c.GetDouble("frac"), c.GetDouble("lr")), 0.0),
    ];

    public static double Branin(double x0, double x1)
    {
        var pi = Math.PI;
        var b = 5.1 / (4.0 * pi * pi);
        var c = 5.0 / pi;
        var t = 1.0 / (8.0 * pi);
        var u = ((x1 - (b * x0 * x0)) + (c * x0)) - 6.0;
        return ((u * u) + (10.0 * (1.0 - t) * Math.Cos(x0))) + 10.0;
    }

    public static double Hartmann6(double[] x)
    {
        var sum = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var inner = 0.0;
            for (var j = 0; j < 6; j++)
            {
                var d = x[j] - P[i, j];
                inner += A[i, j] * d * d;
            }

            sum += Alpha[i] * Math.Exp(-inner);
        }

        return -sum;
    }

    public static double Rosenbrock(double[] x)
    {
        var sum = 0.0;
        for (var i = 0; i < 3; i++)
        {
            var a = x[i + 1] - (x[i] * x[i]);
            var b = x[i] - 1.0;
            sum += (100.0 * a * a) + (b * b);
        }

        return sum;
    }

    public static double LogBowl(double lr, double reg)
    {
        var u = Math.Log10(lr) + 3.0;
        var v = Math.Log10(reg) + 4.0;
        return ((u * u) + (v * v)) + (u * v);
    }

    public static double TabularMixed(string kernel, string scaler, long depth, double frac, double lr)
    {
        var k = kernel switch { "a" => 0, "b" => 1, "c" => 2, _ => throw new ArgumentOutOfRangeException(nameof(kernel)) };
        var s = scaler switch { "none" => 0, "standard" => 1, "minmax" => 2, _ => throw new ArgumentOutOfRangeException(nameof(scaler)) };
        double[] fracs = [0.2, 0.5, 0.8];
        double[] depths = [3.0, 6.0, 9.0];
        double[] exponents = [-1.0, -2.0, -3.0];
        double[,] offsets = { { 0.6, 0.4, 0.5 }, { 0.3, 0.0, 0.2 }, { 0.5, 0.3, 0.1 } };
        var a = frac - fracs[k];
        var u = ((double)depth - depths[k]) / 4.0;
        var w = (Math.Log10(lr) - exponents[k]) / 2.0;
        return ((((offsets[k, s] + (4.0 * a * a)) + (u * u)) + (w * w)) + (u * w));
    }
}
