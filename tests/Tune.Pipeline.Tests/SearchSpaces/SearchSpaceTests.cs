using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Tests.SearchSpaces;

public class SearchSpaceTests
{
    private static SearchSpace Space() => new(
    [
        Parameter.IntRange("NumberOfLeaves", 8, 256, log: true),
        Parameter.LogUniform("LearningRate", 1e-3, 0.3),
        Parameter.Choice("NGrams", ["unigram", "bigram"]),
        Parameter.QUniform("Trees", 50, 500, 50, integral: true),
    ]);

    [Fact]
    public void Constructor_SeveralMistakes_ListsEveryOne()
    {
        var exception = Assert.Throws<InvalidSearchSpaceException>(() => new SearchSpace(
        [
            Parameter.Uniform("LearningRate", 0.1, 0.001),
            Parameter.LogUniform("Decay", 0, 1),
            Parameter.QUniform("Trees", 50, 500, 40),
            Parameter.Choice("Kernel", []),
            Parameter.Choice("Mixed", ["a", 1]),
        ]));

        Assert.Equal(5, exception.Problems.Count);
        Assert.Contains("Parameter 'LearningRate' has Min 0.1 and Max 0.001; Min must be below Max. Swap the bounds.", exception.Problems);
        Assert.Contains("Parameter 'Decay' is log-scaled but Min is 0. Use a positive Min such as 1e-6, or drop Log.", exception.Problems);
        Assert.Contains(exception.Problems, p => p.StartsWith("Parameter 'Trees' has quantum 40, which does not divide", StringComparison.Ordinal));
        Assert.Contains("Parameter 'Kernel' has no choices. Give it at least one value.", exception.Problems);
        Assert.Contains(exception.Problems, p => p.StartsWith("Parameter 'Mixed' mixes choices", StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_DuplicateName_IsRejected()
    {
        var exception = Assert.Throws<InvalidSearchSpaceException>(() => new SearchSpace([Parameter.Uniform("x", 0, 1), Parameter.Uniform("x", 0, 2)]));

        Assert.Contains("Parameter 'x' is declared twice. Give each parameter its own name.", exception.Problems);
    }

    [Fact]
    public void Fingerprint_SameDeclaration_IsEqualAndIndependentOfOrder()
    {
        var reordered = new SearchSpace(Space().Parameters.Reverse());

        Assert.Equal(Space().Fingerprint, reordered.Fingerprint);
        Assert.Matches("^[0-9a-f]{32}$", Space().Fingerprint);
    }

    [Fact]
    public void Fingerprint_PinnedValue_IsTheSameOnEveryMachine()
    {
        // Pinned so that a change in the canonical form (or a locale leaking into it) cannot go unnoticed:
        // stored sweeps are matched by this value.
        var fingerprint = Space().Fingerprint;

        Assert.Equal(PinnedFingerprint, fingerprint);
    }

    [Theory]
    [InlineData("bound")]
    [InlineData("choice")]
    [InlineData("name")]
    [InlineData("quantum")]
    [InlineData("scale")]
    public void Fingerprint_AnyChange_IsDifferent(string change)
    {
        Parameter[] parameters = change switch
        {
            "bound" => [Parameter.IntRange("NumberOfLeaves", 8, 255, log: true), Parameter.LogUniform("LearningRate", 1e-3, 0.3), Parameter.Choice("NGrams", ["unigram", "bigram"]), Parameter.QUniform("Trees", 50, 500, 50, integral: true)],
            "choice" => [Parameter.IntRange("NumberOfLeaves", 8, 256, log: true), Parameter.LogUniform("LearningRate", 1e-3, 0.3), Parameter.Choice("NGrams", ["unigram", "trigram"]), Parameter.QUniform("Trees", 50, 500, 50, integral: true)],
            "name" => [Parameter.IntRange("Leaves", 8, 256, log: true), Parameter.LogUniform("LearningRate", 1e-3, 0.3), Parameter.Choice("NGrams", ["unigram", "bigram"]), Parameter.QUniform("Trees", 50, 500, 50, integral: true)],
            "quantum" => [Parameter.IntRange("NumberOfLeaves", 8, 256, log: true), Parameter.LogUniform("LearningRate", 1e-3, 0.3), Parameter.Choice("NGrams", ["unigram", "bigram"]), Parameter.QUniform("Trees", 50, 500, 25, integral: true)],
            _ => [Parameter.IntRange("NumberOfLeaves", 8, 256), Parameter.LogUniform("LearningRate", 1e-3, 0.3), Parameter.Choice("NGrams", ["unigram", "bigram"]), Parameter.QUniform("Trees", 50, 500, 50, integral: true)],
        };

        var changed = new SearchSpace(parameters);

        Assert.NotEqual(Space().Fingerprint, changed.Fingerprint);
    }

    [Fact]
    public void FromDictionary_ChoicesAsValues_RoundTrips()
    {
        var space = Space();
        var configuration = space.Sample(new SeededRandom(9));

        var back = space.FromDictionary(configuration.ToDictionary()!);

        Assert.Equal(configuration, back);
        Assert.IsType<string>(back["NGrams"]);
    }

    [Fact]
    public void FromDictionary_MissingUnknownAndOutOfRange_NamesEachParameter()
    {
        var values = new Dictionary<string, object?>
        {
            ["NumberOfLeaves"] = 300L,
            ["LearningRat"] = 0.01,
            ["NGrams"] = "trigram",
        };

        var exception = Assert.Throws<InvalidConfigurationException>(() => Space().FromDictionary(values));

        Assert.Equal(5, exception.Problems.Count);
        Assert.Contains("'LearningRat' is not a parameter of this search space. Did you mean 'LearningRate'?", exception.Problems);
        Assert.Contains(exception.Problems, p => p.StartsWith("Parameter 'NumberOfLeaves' is 300, outside [8, 256].", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.StartsWith("Parameter 'LearningRate' is missing.", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.StartsWith("Parameter 'NGrams' is 'trigram', which is not one of its choices. Use one of 'unigram', 'bigram'.", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.StartsWith("Parameter 'Trees' is missing.", StringComparison.Ordinal));
    }

    [Fact]
    public void EnumerateGrid_DiscreteSpace_GivesEveryCombinationOnce()
    {
        var space = new SearchSpace([Parameter.Choice("kernel", ["a", "b", "c"]), Parameter.IntRange("depth", 1, 4), Parameter.QUniform("frac", 0, 1, 0.5)]);

        var grid = space.EnumerateGrid().ToList();

        Assert.Equal(36, space.GridSize);
        Assert.Equal(36, grid.Count);
        Assert.Equal(36, grid.Distinct().Count());
    }

    [Fact]
    public void EnumerateGrid_ContinuousParameter_NamesIt()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Space().EnumerateGrid());

        Assert.Contains("'LearningRate' (LogUniform(0.001, 0.3)) is continuous", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_SameSeed_GivesSameConfiguration()
    {
        var first = Space().Sample(new SeededRandom(42));
        var second = Space().Sample(new SeededRandom(42));

        Assert.Equal(first, second);
        Assert.NotEqual(first, Space().Sample(new SeededRandom(43)));
    }

    [Fact]
    public void Sample_PinnedSeed_GivesPinnedConfiguration()
    {
        // The sequence comes from SeededRandom, not System.Random, so it may never change between runtimes.
        var configuration = Space().Sample(new SeededRandom(42));

        Assert.Equal(PinnedSample, configuration.ToString());
    }

    private const string PinnedFingerprint = "b356847facadade844f8bded1e16d5e5";
    private const string PinnedSample = "NumberOfLeaves=10, LearningRate=0.00868520420653054, NGrams=bigram, Trees=500";
}
