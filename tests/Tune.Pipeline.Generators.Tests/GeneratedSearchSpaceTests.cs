using Tune.Pipeline.Generators.Tests.Experiments;
using Tune.Pipeline.Generators.Tests.TestHelpers;
using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Generators.Tests;

/// <summary>
/// Uses search spaces generated for the experiments under Experiments/ (this project runs the generator as an
/// analyzer), and spaces generated, compiled and loaded in memory where a test needs two declarations.
/// </summary>
public class GeneratedSearchSpaceTests
{
    private const int Seeds = 500;

    private static FaqMatchingSearchSpace Space => FaqMatchingSearchSpace.Instance;

    [Fact]
    public void Constants_FromAttributes_NameObjectiveAndGoal()
    {
        Assert.Equal("faq-matching", FaqMatchingSearchSpace.ExperimentName);
        Assert.Equal("auc", FaqMatchingSearchSpace.ObjectiveMetric);
        Assert.Equal(Goal.Maximize, FaqMatchingSearchSpace.ObjectiveGoal);
        Assert.Equal("log-scale", LogScaleSearchSpace.ExperimentName);
        Assert.Equal(Goal.Minimize, LogScaleSearchSpace.ObjectiveGoal);
    }

    [Fact]
    public void Parameters_InPropertyOrder_WithTheirDistributions()
    {
        var described = Space.Parameters.Select(p => p.ToString()).ToList();

        Assert.Equal(15, described.Count);
        Assert.Equal("NumberOfLeaves: IntRange(8, 256, Log)", described[0]);
        Assert.Equal("LearningRate: LogUniform(0.001, 0.3)", described[1]);
        Assert.Equal("NGrams: Choice('unigram', 'bigram')", described[2]);
        Assert.Equal("Trees: QUniform(50, 500, 50)", described[3]);
        Assert.Equal(ParameterValueKind.Integer, Space["Trees"].ValueKind);
        Assert.Equal(ParameterValueKind.Real, Space["Subsample"].ValueKind);
    }

    [Fact]
    public void DefaultConfiguration_PropertyInitializers_AreTheDefaults()
    {
        var configuration = Space.DefaultConfiguration;

        Assert.Equal(31L, configuration["NumberOfLeaves"]);
        Assert.Equal(0.1, configuration["LearningRate"]);
        Assert.Equal("bigram", configuration["NGrams"]);
        Assert.Equal(Booster.Gbdt, configuration["Booster"]);
        Assert.Equal(0.5, configuration["Dropout"]);
        Assert.Equal(64L, configuration["Hidden"]);
        Assert.Equal(new FaqMatching.Parameters(), Space.Default);
    }

    [Fact]
    public void ToConfiguration_OnTheParametersType_MatchesTheSpace()
    {
        var parameters = new FaqMatching.Parameters { Trees = 450, NGrams = "unigram", Dropout = 0.3f };

        var configuration = parameters.ToConfiguration();

        Assert.Same(Space, configuration.Space);
        Assert.Equal(450L, configuration["Trees"]);
        Assert.Equal(0.3, configuration["Dropout"]);
    }

    [Fact]
    public void ParseParameters_DictionaryOfValues_RoundTripsWithChoicesAsValues()
    {
        var original = new FaqMatching.Parameters { Booster = Booster.Dart, NGrams = "unigram", Ratio = 0.25f, Subsample = 0.3, UseBias = false };

        var dictionary = original.ToConfiguration().ToDictionary();
        var parsed = Space.ParseParameters(dictionary.ToDictionary(pair => pair.Key, pair => (object?)pair.Value));

        Assert.Equal(Booster.Dart, dictionary["Booster"]);
        Assert.Equal("unigram", dictionary["NGrams"]);
        Assert.Equal(false, dictionary["UseBias"]);
        Assert.Equal(original, parsed);
    }

    [Fact]
    public void ParseParameters_EnumChoiceByName_ParsesTheMember()
    {
        var values = Space.DefaultConfiguration.ToDictionary().ToDictionary(pair => pair.Key, pair => (object?)pair.Value);
        values["Booster"] = "Goss";

        var parsed = Space.ParseParameters(values);

        Assert.Equal(Booster.Goss, parsed.Booster);
    }

    [Theory]
    [InlineData("missing", "Trees")]
    [InlineData("unknown", "Treez")]
    [InlineData("outOfRange", "LearningRate")]
    [InlineData("notAChoice", "NGrams")]
    [InlineData("offGrid", "Trees")]
    public void ParseParameters_BadEntry_ThrowsNamingTheParameter(string problem, string parameter)
    {
        var values = Space.DefaultConfiguration.ToDictionary().ToDictionary(pair => pair.Key, pair => (object?)pair.Value);
        switch (problem)
        {
            case "missing":
                values.Remove("Trees");
                break;
            case "unknown":
                values["Treez"] = 100;
                break;
            case "outOfRange":
                values["LearningRate"] = 0.5;
                break;
            case "notAChoice":
                values["NGrams"] = "trigram";
                break;
            default:
                values["Trees"] = 120;
                break;
        }

        var exception = Assert.Throws<InvalidConfigurationException>(() => Space.ParseParameters(values));

        Assert.Contains($"'{parameter}'", Assert.Single(exception.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void ToConfiguration_ValueOutOfRange_ThrowsNamingTheParameter()
    {
        var parameters = new FaqMatching.Parameters { NumberOfLeaves = 1000 };

        var exception = Assert.Throws<InvalidConfigurationException>(() => Space.ToConfiguration(parameters));

        Assert.Contains("'NumberOfLeaves'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SampleParameters_ManySeeds_StayInBoundsOnTheGridAndIntegral()
    {
        for (var seed = 0; seed < Seeds; seed++)
        {
            var p = Space.SampleParameters(new SeededRandom(seed));

            Assert.InRange(p.NumberOfLeaves, 8, 256);
            Assert.InRange(p.LearningRate, 1e-3, 0.3);
            Assert.Contains(p.NGrams, new[] { "unigram", "bigram" });
            Assert.InRange(p.Trees, 50, 500);
            Assert.Equal(0, p.Trees % 50);
            Assert.Contains(p.Booster, new[] { Booster.Gbdt, Booster.Dart, Booster.Goss });
            Assert.InRange(p.Dropout, 0f, 1f);
            Assert.InRange(p.Subsample, 0.1, 0.9);
            Assert.Equal(Math.Round(p.Subsample, 1), p.Subsample);
            Assert.True(p.Decay > 0, $"seed {seed}: Decay {p.Decay}");
            Assert.InRange(p.Buckets, 1, 1000);
            Assert.Equal(0, p.Offset % 2);
            Assert.Contains(p.Hidden, new[] { 32L, 64L, 128L });
            Assert.Contains(p.Ratio, new[] { 0.25f, 0.5f });

            // Every sample is itself a valid configuration of the space.
            Assert.Equal(p, Space.ToParameters(p.ToConfiguration()));
        }
    }

    [Fact]
    public void SampleParameters_LogUniformAcrossSixDecades_AboutHalfBelowOne()
    {
        var space = LogScaleSearchSpace.Instance;

        var samples = Enumerable.Range(0, 2000).Select(seed => space.SampleParameters(new SeededRandom(seed))).ToList();

        // Uniform on a log scale: 1 is the geometric midpoint of 1e-3..1e3, and ~31.6 of the integers 1..1000.
        var belowOne = samples.Count(p => p.Rate < 1) / (double)samples.Count;
        var narrow = samples.Count(p => p.Width <= 31) / (double)samples.Count;
        Assert.InRange(belowOne, 0.45, 0.55);
        Assert.InRange(narrow, 0.42, 0.58);
        Assert.All(samples, p => Assert.InRange(p.Rate, 1e-3, 1e3));
        Assert.All(samples, p => Assert.InRange(p.Width, 1, 1000));
        Assert.All(samples, p => Assert.Equal(0, p.Batch % 10));
    }

    [Fact]
    public void SampleParameters_SameSeed_SameParameters()
    {
        var first = Space.SampleParameters(new SeededRandom(42));
        var second = Space.SampleParameters(new SeededRandom(42));
        var other = Space.SampleParameters(new SeededRandom(43));

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void EnumerateGrid_DiscreteSpace_EveryCombinationOnce()
    {
        var space = GridSearchSearchSpace.Instance;

        var grid = space.EnumerateGrid().Select(space.ToParameters).ToList();

        Assert.Equal(2 * 3 * 3 * 2, grid.Count);
        Assert.Equal(grid.Count, grid.Distinct().Count());
        Assert.Contains(new GridSearch.Parameters { Optimizer = "sgd", Layers = 3, Dropout = 0.3, Booster = Booster.Gbdt }, grid);
    }

    [Fact]
    public void FromUnit_ToUnitOfDiscreteConfiguration_RoundTrips()
    {
        var space = GridSearchSearchSpace.Instance;

        foreach (var configuration in space.EnumerateGrid())
        {
            Assert.Equal(configuration, space.FromUnit(configuration.ToUnit()));
        }
    }

    [Fact]
    public void Fingerprint_SameDeclarationCompiledTwice_IsEqual()
    {
        var first = TestCompilation.LoadSpace(Declaration(), "Demo.RankingSearchSpace");
        var second = TestCompilation.LoadSpace(Declaration(), "Demo.RankingSearchSpace");

        Assert.Equal(first.Fingerprint, second.Fingerprint);
        Assert.Matches("^[0-9a-f]{32}$", first.Fingerprint);
    }

    [Theory]
    [InlineData("bound")]
    [InlineData("choice")]
    [InlineData("name")]
    [InlineData("scale")]
    public void Fingerprint_DeclarationChanged_Differs(string change)
    {
        var changed = change switch
        {
            "bound" => Declaration(max: "0.5"),
            "choice" => Declaration(choices: "\"unigram\", \"trigram\""),
            "name" => Declaration(name: "Rate"),
            _ => Declaration(distribution: "Uniform"),
        };

        var original = TestCompilation.LoadSpace(Declaration(), "Demo.RankingSearchSpace");
        var other = TestCompilation.LoadSpace(changed, "Demo.RankingSearchSpace");

        Assert.NotEqual(original.Fingerprint, other.Fingerprint);
    }

    private static string Declaration(string max = "0.3", string choices = "\"unigram\", \"bigram\"", string name = "LearningRate", string distribution = "LogUniform") => $$"""
        using Tune.Pipeline;

        namespace Demo;

        [Experiment]
        [Objective("auc", Goal.Maximize)]
        public sealed partial class Ranking : IExperiment<Ranking.Parameters>
        {
            public sealed partial class Parameters
            {
                [{{distribution}}(1e-3, {{max}})] public double {{name}} { get; init; } = 0.01;
                [Choice({{choices}})] public string NGrams { get; init; } = "unigram";
            }
        }
        """;
}
