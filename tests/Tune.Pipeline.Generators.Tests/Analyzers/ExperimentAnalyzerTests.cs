using System.Globalization;
using Tune.Pipeline.Generators.Tests.TestHelpers;

namespace Tune.Pipeline.Generators.Tests.Analyzers;

public class ExperimentAnalyzerTests
{
    private const string ValidParameters = """
        public sealed partial class TrainingParameters
        {
            [LogUniform(1e-3, 0.3)] public double LearningRate { get; init; } = 0.1;
        }
        """;

    private static string Message(IReadOnlyList<Microsoft.CodeAnalysis.Diagnostic> diagnostics) =>
        Assert.Single(diagnostics).GetMessage(CultureInfo.InvariantCulture);

    public class ValidExperiment
    {
        [Fact]
        public async Task Analyze_WellFormedExperiment_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync("""
                [Experiment("faq-matching")]
                [Objective("auc", Goal.Maximize)]
                public sealed partial class FaqMatching : IExperiment<FaqMatching.Parameters>
                {
                    public sealed partial record Parameters
                    {
                        [IntRange(8, 256, Log = true)] public int NumberOfLeaves { get; init; } = 31;
                    }
                }
                """);
        }
    }

    public class ExperimentNotPartial
    {
        [Fact]
        public async Task Analyze_ClassWithoutPartial_ReportsTune0101()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync("""
                [Experiment]
                [Objective("auc", Goal.Maximize)]
                public sealed class {|TUNE0101:Ranking|} : IExperiment<TrainingParameters>
                {
                    public System.Threading.Tasks.ValueTask<TrialResult> RunTrialAsync(TrainingParameters parameters, TrialContext context, System.Threading.CancellationToken cancellationToken) => new(0.5);
                    public System.Threading.Tasks.ValueTask RetrainAsync(TrainingParameters parameters, ExperimentContext context, System.Threading.CancellationToken cancellationToken) => default;
                }
                """ + ValidParameters);

            Assert.Equal("Experiment class 'Ranking' is not partial. Add the partial modifier to its declaration.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_PartialClass_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync("""
                [Experiment]
                [Objective("auc", Goal.Maximize)]
                public sealed partial class Ranking : IExperiment<TrainingParameters>
                {
                }
                """ + ValidParameters);
        }
    }

    public class ParametersTypeNotPartial
    {
        [Fact]
        public async Task Analyze_ParametersTypeWithoutPartial_ReportsTune0102()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync("""
                [Experiment]
                [Objective("auc", Goal.Maximize)]
                public sealed partial class {|TUNE0102:Ranking|} : IExperiment<Ranking.Parameters>
                {
                    public sealed record Parameters
                    {
                        [Uniform(0, 1)] public double Rate { get; init; } = 0.5;
                    }
                }
                """);

            Assert.Equal("Type 'Parameters' is not partial, so the generator cannot add ToConfiguration() to the parameters type 'Parameters'. Add the partial modifier to 'Parameters' (it must be declared in this project).", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_ContainingTypeWithoutPartial_ReportsTune0102()
        {
            await AnalyzerVerifier.VerifyAsync("""
                public static class Holder
                {
                    public sealed partial class Parameters
                    {
                        [Uniform(0, 1)] public double Rate { get; init; } = 0.5;
                    }
                }

                [Experiment]
                [Objective("auc", Goal.Maximize)]
                public sealed partial class {|TUNE0102:Ranking|} : IExperiment<Holder.Parameters>
                {
                }
                """);
        }

        [Fact]
        public async Task Analyze_PartialParametersType_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync("""
                public static partial class Holder
                {
                    public sealed partial class Parameters
                    {
                        [Uniform(0, 1)] public double Rate { get; init; } = 0.5;
                    }
                }

                [Experiment]
                [Objective("auc", Goal.Maximize)]
                public sealed partial class Ranking : IExperiment<Holder.Parameters>
                {
                }
                """);
        }
    }

    public class ObjectiveCount
    {
        [Fact]
        public async Task Analyze_NoObjective_ReportsTune0103()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync("""
                [Experiment]
                public sealed partial class {|TUNE0103:Ranking|} : IExperiment<TrainingParameters>
                {
                }
                """ + ValidParameters);

            Assert.Equal("Experiment class 'Ranking' has 0 [Objective] attributes but needs exactly one. Add one, such as [Objective(\"auc\", Goal.Maximize)].", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_TwoObjectives_ReportsTune0103()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync("""
                [Experiment]
                [Objective("auc", Goal.Maximize)]
                [Objective("loss", Goal.Minimize)]
                public sealed partial class {|TUNE0103:Ranking|} : IExperiment<TrainingParameters>
                {
                }
                """ + ValidParameters);

            Assert.Contains("has 2 [Objective] attributes", Message(diagnostics), StringComparison.Ordinal);
        }

        [Fact]
        public async Task Analyze_OneObjective_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync("""
                [Experiment]
                [Objective("loss", Goal.Minimize)]
                public sealed partial class Ranking : IExperiment<TrainingParameters>
                {
                }
                """ + ValidParameters);
        }
    }

    public class NotAnExperiment
    {
        [Fact]
        public async Task Analyze_NoExperimentInterface_ReportsTune0104()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync("""
                [Experiment]
                [Objective("auc", Goal.Maximize)]
                public sealed partial class {|TUNE0104:Ranking|}
                {
                }
                """);

            Assert.Equal("Experiment class 'Ranking' does not implement IExperiment<TParameters>. Implement IExperiment<YourParameters> so the generator knows which type holds the parameters.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_InterfaceThroughBaseClass_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync("""
                public abstract class ExperimentBase : IExperiment<TrainingParameters>
                {
                    public System.Threading.Tasks.ValueTask<TrialResult> RunTrialAsync(TrainingParameters parameters, TrialContext context, System.Threading.CancellationToken cancellationToken) => new(0.5);
                    public System.Threading.Tasks.ValueTask RetrainAsync(TrainingParameters parameters, ExperimentContext context, System.Threading.CancellationToken cancellationToken) => default;
                }

                [Experiment]
                [Objective("auc", Goal.Maximize)]
                public sealed partial class Ranking : ExperimentBase
                {
                }
                """ + ValidParameters);
        }
    }

    public class GenericType
    {
        [Fact]
        public async Task Analyze_GenericExperiment_ReportsTune0105()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync("""
                [Experiment]
                [Objective("auc", Goal.Maximize)]
                public sealed partial class {|TUNE0105:Ranking|}<T> : IExperiment<TrainingParameters>
                {
                }
                """ + ValidParameters);

            Assert.Equal("Type 'Ranking' is generic, but the generator needs a non-generic experiment class and parameters type. Remove the type parameters.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_GenericParametersType_ReportsTune0105()
        {
            await AnalyzerVerifier.VerifyAsync("""
                public sealed partial class Settings<T>
                {
                    [Uniform(0, 1)] public double Rate { get; init; } = 0.5;
                }

                [Experiment]
                [Objective("auc", Goal.Maximize)]
                public sealed partial class {|TUNE0105:Ranking|} : IExperiment<Settings<int>>
                {
                }
                """);
        }

        [Fact]
        public async Task Analyze_NonGenericTypes_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync("""
                [Experiment]
                [Objective("auc", Goal.Maximize)]
                public sealed partial class Ranking : IExperiment<TrainingParameters>
                {
                }
                """ + ValidParameters);
        }
    }

    public class NoParameters
    {
        [Fact]
        public async Task Analyze_ParametersWithoutAttributes_ReportsTune0106()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync("""
                public sealed partial class Settings
                {
                    public double Rate { get; init; } = 0.5;
                }

                [Experiment]
                [Objective("auc", Goal.Maximize)]
                public sealed partial class {|TUNE0106:Ranking|} : IExperiment<Settings>
                {
                }
                """);

            Assert.Equal("Parameters type 'Settings' has no property with a distribution attribute, so the search space would be empty. Add one, such as [Uniform(0, 1)] on a double property.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_OneParameter_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync("""
                public sealed partial class Settings
                {
                    [Uniform(0, 1)] public double Rate { get; init; } = 0.5;
                }

                [Experiment]
                [Objective("auc", Goal.Maximize)]
                public sealed partial class Ranking : IExperiment<Settings>
                {
                }
                """);
        }
    }

    public class ParametersTypeInaccessible
    {
        [Fact]
        public async Task Analyze_PrivateParametersType_ReportsTune0107()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync("""
                [Experiment]
                [Objective("auc", Goal.Maximize)]
                public sealed partial class {|TUNE0107:Ranking|} : IExperiment<Ranking.Parameters>
                {
                    private sealed partial class Parameters
                    {
                        [Uniform(0, 1)] public double Rate { get; init; } = 0.5;
                    }
                }
                """, allowCompilerErrors: true);

            Assert.Equal("Type 'Parameters' is private, so the generated search space cannot use the parameters type 'Parameters'. Make it public or internal.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_InternalParametersType_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync("""
                [Experiment]
                [Objective("auc", Goal.Maximize)]
                internal sealed partial class Ranking : IExperiment<Ranking.Parameters>
                {
                    internal sealed partial class Parameters
                    {
                        [Uniform(0, 1)] public double Rate { get; init; } = 0.5;
                    }
                }
                """);
        }
    }

    public class NoParameterlessConstructor
    {
        [Fact]
        public async Task Analyze_PrimaryConstructorRecord_ReportsTune0108()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync("""
                public sealed partial record Settings(double Seed)
                {
                    [Uniform(0, 1)] public double Rate { get; init; } = 0.5;
                }

                [Experiment]
                [Objective("auc", Goal.Maximize)]
                public sealed partial class {|TUNE0108:Ranking|} : IExperiment<Settings>
                {
                }
                """);

            Assert.StartsWith("Parameters type 'Settings' has no accessible parameterless constructor", Message(diagnostics), StringComparison.Ordinal);
        }

        [Fact]
        public async Task Analyze_ExplicitParameterlessConstructor_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync("""
                public sealed partial class Settings
                {
                    public Settings()
                    {
                        Rate = 0.25;
                    }

                    [Uniform(0, 1)] public double Rate { get; init; }
                }

                [Experiment]
                [Objective("auc", Goal.Maximize)]
                public sealed partial class Ranking : IExperiment<Settings>
                {
                }
                """);
        }
    }

    public class AmbiguousParametersType
    {
        [Fact]
        public async Task Analyze_TwoParametersTypes_ReportsTune0109()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync("""
                public sealed partial class Other
                {
                    [Uniform(0, 1)] public double Rate { get; init; } = 0.5;
                }

                [Experiment]
                [Objective("auc", Goal.Maximize)]
                public sealed partial class {|TUNE0109:Ranking|} : IExperiment<TrainingParameters>, IExperiment<Other>
                {
                }
                """ + ValidParameters);

            Assert.Equal("Experiment class 'Ranking' implements IExperiment<TParameters> for both 'TrainingParameters' and 'Other'. Implement it for one parameters type.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_OneParametersType_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync("""
                [Experiment]
                [Objective("auc", Goal.Maximize)]
                public sealed partial class Ranking : IExperiment<TrainingParameters>
                {
                }
                """ + ValidParameters);
        }
    }

    public class RequiredMember
    {
        [Fact]
        public async Task Analyze_RequiredParameter_ReportsTune0110()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync("""
                public sealed partial class Settings
                {
                    [Uniform(0, 1)] public required double Rate { get; init; }
                }

                [Experiment]
                [Objective("auc", Goal.Maximize)]
                public sealed partial class {|TUNE0110:Ranking|} : IExperiment<Settings>
                {
                }
                """);

            Assert.Equal("Parameters type 'Settings' has the required member 'Rate', but the search space creates its defaults with new Settings(). Remove required and give 'Rate' an initializer.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_InitializedParameter_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync("""
                public sealed partial class Settings
                {
                    [Uniform(0, 1)] public double Rate { get; init; } = 0.5;
                }

                [Experiment]
                [Objective("auc", Goal.Maximize)]
                public sealed partial class Ranking : IExperiment<Settings>
                {
                }
                """);
        }
    }

    public class BrokenCode
    {
        public static TheoryData<string> Sources =>
        [
            "[Experiment] public partial class A : IExperiment<> { }",
            "[Experiment] [Objective] public partial class A : IExperiment<Missing> { }",
            "[Experiment(42)] [Objective(\"m\", (Goal)7)] public partial class A : IExperiment<P> { } public partial class P { [Uniform(\"a\", 1)] public double X { get; set; } }",
            "public partial class P { [Uniform(1)] public double X { get; set; } [Choice] public int Y { get; set; } [IntRange(1, 2, Log = )] public int Z { get; set; } }",
            "public partial class P { [Choice(new object[] { typeof(int), new[] { 1 } })] public int X { get; set; } [QUniform(0, 1, 0.1)] public Missing Y { get; set; } }",
            "[Experiment] [Objective(\"m\", Goal.Maximize)] public partial class A : IExperiment<int[]> { }",
            "[Experiment] [Objective(\"m\", Goal.Maximize)] public partial class A<T> : IExperiment<T> where T : class { }",
            "public partial class P { [Uniform(0, 1)] public double this[int i] { get => 0; set { } } [Choice((Booster)9)] public Booster B { get; set; } } public enum Booster { A }",
            "[Experiment] [Objective(\"m\", Goal.Maximize)] public partial class A : IExperiment<A.P> { public partial class P { [Uniform(0, 1)] public double X { get; set; } = ",
            "public enum Huge : ulong { Big = ulong.MaxValue, Small = 1 } public partial class P { [Choice(Huge.Big, Huge.Small)] public Huge H { get; set; } = Huge.Big; [QUniform(0, 1e28, 1e27)] public double Q { get; set; } = 5e27; [Uniform(0, 1)] public double N { get; set; } = double.NaN; }",
        ];

        private const string Complete = """
            using Tune.Pipeline;

            public enum Booster { Gbdt, Dart }

            [Experiment("faq-matching")]
            [Objective("auc", Goal.Maximize)]
            public sealed partial class FaqMatching : IExperiment<FaqMatching.Parameters>
            {
                public sealed partial record Parameters
                {
                    [IntRange(8, 256, Log = true)] public int NumberOfLeaves { get; init; } = 31;
                    [Choice("unigram", "bigram")] public string NGrams { get; init; } = "bigram";
                    [QUniform(50, 500, 50)] public int Trees { get; init; } = 100;
                    [Choice(Booster.Gbdt, Booster.Dart)] public Booster Booster { get; init; } = Booster.Dart;
                    [QNormal(0, 4, 2)] public int Offset { get; init; }
                }
            }
            """;

        public static TheoryData<int> Truncations => [.. Enumerable.Range(1, 40).Select(i => i * Complete.Length / 41)];

        [Theory]
        [MemberData(nameof(Truncations))]
        public async Task Analyze_SourceCutOffWhileTyping_NeverThrows(int length)
        {
            var compilation = TestCompilation.Create(Complete[..length]);
            var exceptions = new List<Exception>();

            _ = await TestCompilation.AnalyzeAsync(compilation, exceptions, TestContext.Current.CancellationToken);
            var driver = TestCompilation.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out _, out var generatorDiagnostics, TestContext.Current.CancellationToken);

            Assert.Empty(exceptions);
            Assert.Empty(generatorDiagnostics);
            Assert.All(driver.GetRunResult().Results, r => Assert.Null(r.Exception));
        }

        [Theory]
        [MemberData(nameof(Sources))]
        public async Task Analyze_IncompleteOrInvalidCode_NeverThrows(string source)
        {
            var compilation = TestCompilation.Create("using Tune.Pipeline;\n" + source);
            var exceptions = new List<Exception>();

            _ = await TestCompilation.AnalyzeAsync(compilation, exceptions, TestContext.Current.CancellationToken);
            var driver = TestCompilation.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out _, out var generatorDiagnostics, TestContext.Current.CancellationToken);

            Assert.Empty(exceptions);
            Assert.Empty(generatorDiagnostics);
            Assert.All(driver.GetRunResult().Results, r => Assert.Null(r.Exception));
        }
    }
}
