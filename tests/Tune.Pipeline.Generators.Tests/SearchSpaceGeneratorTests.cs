using Tune.Pipeline.Testing;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Tune.Pipeline.Generators.Tests.TestHelpers;

namespace Tune.Pipeline.Generators.Tests;

public class SearchSpaceGeneratorTests
{
    private const string AllDistributions = """
        using Tune.Pipeline;

        namespace Demo.Experiments;

        public enum Booster { Gbdt, Dart, Goss }

        [Experiment("faq-matching")]
        [Objective("auc", Goal.Maximize)]
        public sealed partial class FaqMatching : IExperiment<FaqMatching.Parameters>
        {
            public sealed partial record Parameters
            {
                [IntRange(8, 256, Log = true)] public int NumberOfLeaves { get; init; } = 31;
                [LogUniform(1e-3, 0.3)] public double LearningRate { get; init; } = 0.1;
                [Choice("unigram", "bigram")] public string NGrams { get; init; } = "bigram";
                [QUniform(50, 500, 50)] public int Trees { get; init; } = 100;
                [Choice(Booster.Gbdt, Booster.Dart)] public Booster Booster { get; init; } = Booster.Gbdt;
                [Choice(true, false)] public bool UseBias { get; init; } = true;
                [Uniform(0, 1)] public float Dropout { get; init; } = 0.5f;
                [QUniform(0.1, 0.9, 0.1)] public double Subsample { get; init; } = 0.8;
                [Normal(0, 1)] public double Shift { get; init; }
                [LogNormal(0.01, 1)] public double Decay { get; init; } = 0.01;
                [QLogUniform(1, 1000, 1)] public long Buckets { get; init; } = 10;
                [QNormal(0, 4, 2)] public int Offset { get; init; }
                [QLogNormal(16, 0.5, 1)] public long BatchSize { get; init; } = 16;
                [Choice(32, 64, 128)] public long Hidden { get; init; } = 64;
                [Choice(0.25, 0.5)] public float Ratio { get; init; } = 0.5f;
                public string Notes { get; init; } = "not a parameter";
            }
        }
        """;

    private const string GlobalNamespaceInternalParameters = """
        using Tune.Pipeline;

        namespace Demo.Settings
        {
            internal sealed partial class RankingSettings
            {
                [Uniform(-0.5, 0.5)] public double Bias { get; set; }
                [Choice("a\"b", "c\\d")] public string @event { get; set; } = "a\"b";
                [IntRange(-3, 3)] public long Level { get; set; }
            }
        }

        [Experiment]
        [Objective("ndcg@10", Goal.Minimize)]
        internal sealed partial class XGBoostRanking : IExperiment<Demo.Settings.RankingSettings>
        {
        }
        """;

    public static TheoryData<string, string> Snapshots => new()
    {
        { "FaqMatching", AllDistributions },
        { "XGBoostRanking", GlobalNamespaceInternalParameters },
    };

    [Theory]
    [MemberData(nameof(Snapshots))]
    public async Task Generate_ValidExperiment_MatchesSnapshotCompilesCleanlyAndCaches(string name, string source)
    {
        var compilation = TestCompilation.Create(source);
        var exceptions = new List<Exception>();

        var (output, result) = TestCompilation.Generate(compilation);
        var analyzerDiagnostics = await TestCompilation.AnalyzeAsync(compilation, exceptions, TestContext.Current.CancellationToken);

        Assert.Empty(exceptions);
        Assert.Empty(analyzerDiagnostics);
        // Every warning is an error in these compilations, with nullable on: the generated code must be clean.
        Assert.Empty(output.GetDiagnostics(TestContext.Current.CancellationToken));
        var generated = Assert.Single(Assert.Single(result.Results).GeneratedSources);
        Snapshot.Match(generated.SourceText.ToString(), name, "cs");
        GeneratorAssert.CachedAfterUnrelatedChange(compilation);
        GeneratorAssert.ModelsHoldOnlyValues(result);
    }

    private const string SwappedBound = """
        using Tune.Pipeline;

        namespace Demo;

        [Experiment("broken")]
        [Objective("auc", Goal.Maximize)]
        public sealed partial class Broken : IExperiment<Broken.Parameters>
        {
            public sealed partial class Parameters
            {
                [Uniform(1, 0)] public double Rate { get; init; } = 0.5;
            }
        }

        public static class UsesTheSpace
        {
            public static object Use()
            {
                var space = BrokenSearchSpace.Instance;
                var name = BrokenSearchSpace.ExperimentName + BrokenSearchSpace.ObjectiveMetric;
                Goal goal = BrokenSearchSpace.ObjectiveGoal;
                ExperimentIdentity? identity = space.Experiment;
                Broken.Parameters parameters = space.ToParameters(space.ToConfiguration(new Broken.Parameters()));
                return (name, goal, identity, parameters.ToConfiguration());
            }
        }
        """;

    [Fact]
    public async Task Generate_ExperimentWithASwappedBound_EmitsAStubSoTheTuneErrorStandsAlone()
    {
        var compilation = TestCompilation.Create(SwappedBound);

        var (output, result) = TestCompilation.Generate(compilation);
        var exceptions = new List<Exception>();
        var analyzerDiagnostics = await TestCompilation.AnalyzeAsync(compilation, exceptions, TestContext.Current.CancellationToken);

        Assert.Empty(exceptions);
        Assert.Contains("Stands in for the typed search space", Assert.Single(Assert.Single(result.Results).GeneratedSources).SourceText.ToString(), StringComparison.Ordinal);
        // The compiler's own diagnostics, with the stub: none (no CS0103 for BrokenSearchSpace, no CS1061 for ToConfiguration).
        Assert.Empty(output.GetDiagnostics(TestContext.Current.CancellationToken));
        Assert.Equal("TUNE0201", Assert.Single(analyzerDiagnostics).Id);
    }

    [Fact]
    public void Generate_ExperimentWithASilencedError_StubThrowsNamingTheExperiment()
    {
        // Only reachable when the TUNE error is silenced (severity none): the stub compiles, and every member says why it cannot work.
        var exception = Assert.Throws<System.Reflection.TargetInvocationException>(() => TestCompilation.LoadSpace(SwappedBound, "Demo.BrokenSearchSpace"));

        var inner = Assert.IsType<InvalidOperationException>(exception.InnerException);
        Assert.Equal("The search space of the 'broken' experiment was not generated: a TUNE error in its declaration stops the generator. Fix the TUNE error the build reports.", inner.Message);
    }

    [Fact]
    public void Generate_TwoExperimentsShareParameters_BothSpacesCompileWithoutToConfigurationOnTheType()
    {
        var compilation = TestCompilation.Create("""
            using Tune.Pipeline;

            namespace Demo;

            public sealed partial class SharedParameters
            {
                [Uniform(0, 1)] public double Rate { get; init; } = 0.5;
            }

            [Experiment]
            [Objective("auc", Goal.Maximize)]
            public sealed partial class First : IExperiment<SharedParameters>
            {
            }

            [Experiment]
            [Objective("loss", Goal.Minimize)]
            public sealed partial class Second : IExperiment<SharedParameters>
            {
            }
            """);

        var (output, result) = TestCompilation.Generate(compilation);

        Assert.Empty(output.GetDiagnostics(TestContext.Current.CancellationToken));
        var sources = result.Results.Single().GeneratedSources;
        Assert.Equal(["Demo.First.SearchSpace.g.cs", "Demo.Second.SearchSpace.g.cs"], sources.Select(s => s.HintName).Order(StringComparer.Ordinal));
        Assert.All(sources, s => Assert.DoesNotContain("partial class SharedParameters", s.SourceText.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_ParametersInAnotherFileChange_RegeneratesTheSpace()
    {
        const string experiment = """
            using Tune.Pipeline;

            [Experiment]
            [Objective("auc", Goal.Maximize)]
            public sealed partial class Ranking : IExperiment<RankingParameters>
            {
            }
            """;
        const string parameters = """
            using Tune.Pipeline;

            public sealed partial class RankingParameters
            {
                [Uniform(0, 1)] public double Rate { get; init; } = 0.5;
            }
            """;
        var compilation = TestCompilation.Create(experiment, parameters);
        var driver = TestCompilation.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);
        var oldTree = compilation.SyntaxTrees.Last();
        var newTree = CSharpSyntaxTree.ParseText(parameters.Replace("Uniform(0, 1)", "Uniform(0, 2)", StringComparison.Ordinal), TestCompilation.ParseOptions, oldTree.FilePath, cancellationToken: TestContext.Current.CancellationToken);

        var result = driver.RunGenerators(compilation.ReplaceSyntaxTree(oldTree, newTree), TestContext.Current.CancellationToken).GetRunResult();

        var text = Assert.Single(result.Results.Single().GeneratedSources).SourceText.ToString();
        Assert.Contains("Parameter.Uniform(\"Rate\", 0d, 2d)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_UnderCommaDecimalCulture_WritesTheSameText()
    {
        var compilation = TestCompilation.Create(AllDistributions);
        var original = CultureInfo.CurrentCulture;

        string invariant, german;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            invariant = TestCompilation.Generate(compilation).Result.Results[0].GeneratedSources[0].SourceText.ToString();
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            german = TestCompilation.Generate(compilation).Result.Results[0].GeneratedSources[0].SourceText.ToString();
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }

        Assert.Equal(invariant, german);
        Assert.Contains("LogUniform(\"LearningRate\", 0.001, 0.3)", german, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_ExperimentWithoutName_UsesKebabCaseHintAndName()
    {
        var (_, result) = TestCompilation.Generate(TestCompilation.Create(GlobalNamespaceInternalParameters));

        var generated = Assert.Single(result.Results[0].GeneratedSources);

        Assert.Equal("XGBoostRanking.SearchSpace.g.cs", generated.HintName);
        Assert.Contains("public const string ExperimentName = \"xg-boost-ranking\";", generated.SourceText.ToString(), StringComparison.Ordinal);
    }
}
