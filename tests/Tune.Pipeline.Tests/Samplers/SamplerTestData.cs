using Tune.Pipeline.Samplers;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Tests.Samplers;

/// <summary>Spaces and histories shared by the sampler tests.</summary>
internal static class SamplerTestData
{
    /// <summary>A space with every bounded kind plus the normal ones.</summary>
    public static SearchSpace Mixed { get; } = new(
    [
        Parameter.Uniform("u", -2, 3),
        Parameter.LogUniform("lr", 1e-5, 1e-1),
        Parameter.IntRange("depth", 1, 12),
        Parameter.IntRange("leaves", 8, 256, log: true),
        Parameter.QUniform("frac", 0, 1, 0.125),
        Parameter.QLogUniform("trees", 50, 500, 50, integral: true),
        Parameter.Choice("kernel", ["a", "b", "c"]),
        Parameter.Normal("bias", 1, 2),
        Parameter.LogNormal("scale", 1, 0.5),
    ]);

    /// <summary>A smooth loss over <see cref="Mixed"/> with its optimum inside the space.</summary>
    public static double Loss(Configuration c)
    {
        var kernel = (string)c["kernel"] == "b" ? 0.0 : 1.0;
        var lr = Math.Log10(c.GetDouble("lr")) + 3.0;
        var u = c.GetDouble("u") - 0.5;
        var depth = (c.GetInt64("depth") - 6) / 4.0;
        return (lr * lr) + (u * u) + (depth * depth) + kernel + Math.Abs(c.GetDouble("frac") - 0.5) + Math.Abs(c.GetDouble("bias") - 1);
    }

    /// <summary>A history of random completed trials (with a failed and a pruned one) on a space.</summary>
    public static List<Trial> History(SearchSpace space, Func<Configuration, double> loss, int count, long seed)
    {
        var random = new SeededRandom(seed);
        var trials = new List<Trial>();
        for (var n = 0; n < count; n++)
        {
            var configuration = space.Sample(random);
            trials.Add(n switch
            {
                3 => new Trial(n, configuration, TrialState.Failed, null),
                5 => new Trial(n, configuration, TrialState.Pruned, null),
                _ => new Trial(n, configuration, TrialState.Completed, loss(configuration)),
            });
        }

        return trials;
    }

    public static SamplerContext Context(SearchSpace space, List<Trial> history, long seed, IReadOnlyList<Configuration>? pending = null) =>
        new(space, Goal.Minimize, history.Count, seed, history, pending ?? []);

    /// <summary>Asserts that every value lies on its parameter's support, with the right .NET type.</summary>
    public static void AssertValid(Configuration configuration)
    {
        foreach (var parameter in configuration.Space.Parameters)
        {
            var value = configuration[parameter.Name];
            Assert.True(parameter.TryNormalize(value, out var normalized, out var error), error);
            Assert.Equal(normalized, value);
            switch (parameter.Kind)
            {
                case ParameterKind.Choice:
                    Assert.Contains(value, parameter.Choices);
                    break;
                case ParameterKind.IntRange:
                    var integer = Assert.IsType<long>(value);
                    Assert.InRange(integer, (long)parameter.Min, (long)parameter.Max);
                    break;
                case ParameterKind.QUniform or ParameterKind.QLogUniform:
                    var q = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                    Assert.InRange(q, parameter.Min, parameter.Max);
                    var steps = (q - parameter.Min) / parameter.Q;
                    Assert.Equal(Math.Round(steps), steps, 1e-9);
                    break;
                case ParameterKind.Uniform or ParameterKind.LogUniform:
                    Assert.InRange(Assert.IsType<double>(value), parameter.Min, parameter.Max);
                    break;
                case ParameterKind.LogNormal:
                    Assert.True(Assert.IsType<double>(value) > 0);
                    break;
                default:
                    Assert.True(double.IsFinite(Assert.IsType<double>(value)));
                    break;
            }
        }
    }

    public static ISampler Tpe(bool multivariate = true) => SamplerCatalog.CreateTpe(new TpeSamplerOptions { Multivariate = multivariate });

    public static ISampler Gp() => SamplerCatalog.CreateGp(new GpSamplerOptions());
}
