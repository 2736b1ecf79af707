using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Tests.SearchSpaces;

public class ParameterTests
{
    private const int Draws = 4000;

    public static TheoryData<Parameter> EveryKind =>
    [
        Parameter.Uniform("x", -2.5, 7.0),
        Parameter.LogUniform("lr", 1e-3, 0.3),
        Parameter.Normal("n", 3.0, 0.5),
        Parameter.LogNormal("ln", 0.01, 1.0),
        Parameter.QUniform("trees", 50, 500, 50, integral: true),
        Parameter.QUniform("frac", 0.1, 0.9, 0.1),
        Parameter.QLogUniform("batch", 16, 1024, 16, integral: true),
        Parameter.QNormal("qn", 10, 4, 0.5),
        Parameter.QLogNormal("qln", 100, 0.5, 10, integral: true),
        Parameter.IntRange("leaves", 8, 256, log: true),
        Parameter.IntRange("depth", 1, 12),
        Parameter.Choice("kernel", ["a", "b", "c"]),
        Parameter.Choice("flag", [true, false]),
        Parameter.Choice("k", [1, 3, 5]),
        Parameter.Choice("mode", [DayOfWeek.Monday, DayOfWeek.Friday]),
    ];

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void Sample_ManySeeds_EveryValueIsValidForTheParameter(Parameter parameter)
    {
        var random = new SeededRandom(11);

        for (var i = 0; i < Draws; i++)
        {
            var value = parameter.Sample(random);

            Assert.True(parameter.TryNormalize(value, out var normalized, out var error), error);
            Assert.Equal(value, normalized);
        }
    }

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void FromUnit_OfToUnit_ReturnsTheSameValue(Parameter parameter)
    {
        var random = new SeededRandom(5);

        for (var i = 0; i < Draws; i++)
        {
            var value = parameter.Sample(random);

            var unit = parameter.ToUnit(value);

            Assert.InRange(unit, 0.0, 1.0);
            var back = parameter.FromUnit(unit);
            if (value is double d)
            {
                Assert.Equal(d, (double)back, Math.Abs(d) * 1e-12);
            }
            else
            {
                Assert.Equal(value, back);
            }
        }
    }

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void Sample_SameSeed_GivesSameSequence(Parameter parameter)
    {
        var first = new SeededRandom(123);
        var second = new SeededRandom(123);

        var a = Enumerable.Range(0, 50).Select(_ => parameter.Sample(first)).ToList();
        var b = Enumerable.Range(0, 50).Select(_ => parameter.Sample(second)).ToList();

        Assert.Equal(a, b);
    }

    [Fact]
    public void Sample_LogUniform_IsUniformInTheLogarithm()
    {
        var parameter = Parameter.LogUniform("lr", 1e-3, 1e3);
        var random = new SeededRandom(1);

        var belowOne = Enumerable.Range(0, Draws).Count(_ => (double)parameter.Sample(random) < 1.0);

        // Half the log-range lies below 1; a linear sampler would put 1 in a million there.
        Assert.InRange(belowOne / (double)Draws, 0.46, 0.54);
    }

    [Fact]
    public void Sample_IntRangeLog_FavoursSmallValuesLikeALogScale()
    {
        var parameter = Parameter.IntRange("leaves", 1, 1000, log: true);
        var random = new SeededRandom(2);

        var atMost31 = Enumerable.Range(0, Draws).Count(_ => (long)parameter.Sample(random) <= 31);

        // ln(31.5/0.5) / ln(1000.5/0.5) = 0.545 of the mass.
        Assert.InRange(atMost31 / (double)Draws, 0.50, 0.59);
    }

    [Fact]
    public void Sample_QUniform_HitsEveryGridValueWithEqualChance()
    {
        var parameter = Parameter.QUniform("trees", 50, 500, 50, integral: true);
        var random = new SeededRandom(3);

        var counts = Enumerable.Range(0, 10_000).Select(_ => (long)parameter.Sample(random)).GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal([50L, 100, 150, 200, 250, 300, 350, 400, 450, 500], counts.Keys.Order());
        Assert.All(counts.Values, c => Assert.InRange(c, 850, 1150));
    }

    [Fact]
    public void EnumerateValues_DecimalQuantum_GivesExactDecimalValues()
    {
        var parameter = Parameter.QUniform("frac", 0.1, 0.5, 0.1);

        var values = parameter.EnumerateValues().Cast<double>().ToList();

        Assert.Equal([0.1, 0.2, 0.3, 0.4, 0.5], values);
    }

    [Fact]
    public void Sample_Normal_HasTheDeclaredMeanAndSpread()
    {
        var parameter = Parameter.Normal("n", 3.0, 0.5);
        var random = new SeededRandom(4);

        var values = Enumerable.Range(0, 20_000).Select(_ => (double)parameter.Sample(random)).ToList();
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);

        Assert.Equal(3.0, mean, 0.02);
        Assert.Equal(0.5, sd, 0.02);
    }

    [Fact]
    public void Sample_LogNormal_HasTheDeclaredMedian()
    {
        var parameter = Parameter.LogNormal("ln", 0.01, 1.0);
        var random = new SeededRandom(6);

        var below = Enumerable.Range(0, Draws).Count(_ => (double)parameter.Sample(random) < 0.01);

        Assert.InRange(below / (double)Draws, 0.46, 0.54);
    }

    [Theory]
    [InlineData(0.5, "outside [0.001, 0.3]")]
    [InlineData(double.NaN, "finite")]
    [InlineData("fast", "not a number")]
    public void TryNormalize_BadValue_NamesTheParameterAndTheRange(object value, string expected)
    {
        var parameter = Parameter.LogUniform("LearningRate", 1e-3, 0.3);

        var ok = parameter.TryNormalize(value, out _, out var error);

        Assert.False(ok);
        Assert.Contains("'LearningRate'", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryNormalize_OffGrid_IsRejected()
    {
        var parameter = Parameter.QUniform("Trees", 50, 500, 50, integral: true);

        var ok = parameter.TryNormalize(75, out _, out var error);

        Assert.False(ok);
        Assert.Contains("grid of step 50", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryNormalize_EnumByName_ReturnsTheMember()
    {
        var parameter = Parameter.Choice("Day", [DayOfWeek.Monday, DayOfWeek.Friday]);

        var ok = parameter.TryNormalize("Friday", out var value, out _);

        Assert.True(ok);
        Assert.Equal(DayOfWeek.Friday, value);
    }
}
