using System.Globalization;
using Tune.Pipeline.Generators.Tests.TestHelpers;

namespace Tune.Pipeline.Generators.Tests.Analyzers;

public class ParameterAttributeAnalyzerTests
{
    private static string Parameters(string body) => $$"""
        public enum Booster { Gbdt, Dart, Goss }

        public sealed partial class TrainingParameters
        {
        {{body}}
        }
        """;

    private static string Message(IReadOnlyList<Microsoft.CodeAnalysis.Diagnostic> diagnostics) =>
        Assert.Single(diagnostics).GetMessage(CultureInfo.InvariantCulture);

    public class MinNotBelowMax
    {
        [Fact]
        public async Task Analyze_MinAboveMax_ReportsTune0201WithSwapAdvice()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters(
                "[{|TUNE0201:LogUniform(0.1, 0.001)|}] public double LearningRate { get; init; } = 0.01;"));

            Assert.Equal("Parameter 'LearningRate' has Min 0.1 and Max 0.001; Min must be below Max. Swap the bounds.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_IntRangeMinEqualsMax_ReportsTune0201()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0201:IntRange(5, 5)|}] public int Depth { get; init; } = 5;"));
        }

        [Fact]
        public async Task Analyze_MinBelowMax_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[LogUniform(0.001, 0.1)] public double LearningRate { get; init; } = 0.01;"));
        }
    }

    public class LogScaleNonPositive
    {
        [Fact]
        public async Task Analyze_LogUniformFromZero_ReportsTune0202()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters(
                "[{|TUNE0202:LogUniform(0, 0.3)|}] public double LearningRate { get; init; } = 0.1;"));

            Assert.Equal("Parameter 'LearningRate' is log-scaled but Min is 0. Use a positive Min such as 1e-6, or use [Uniform].", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_LogIntRangeFromZero_ReportsTune0202()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters(
                "[{|TUNE0202:IntRange(0, 256, Log = true)|}] public int Leaves { get; init; } = 31;"));

            Assert.Equal("Parameter 'Leaves' is log-scaled but Min is 0. Use a positive Min such as 1e-6, or drop Log.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_QLogUniformNegativeMin_ReportsTune0202()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0202:QLogUniform(-1, 9, 1)|}] public int Width { get; init; } = 1;"));
        }

        [Fact]
        public async Task Analyze_PositiveLogBounds_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("""
                [LogUniform(1e-6, 0.3)] public double LearningRate { get; init; } = 0.1;
                [IntRange(1, 256, Log = true)] public int Leaves { get; init; } = 31;
                [IntRange(0, 256)] public int Depth { get; init; } = 6;
                """));
        }
    }

    public class QuantumNotPositive
    {
        [Fact]
        public async Task Analyze_ZeroQuantum_ReportsTune0203()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters(
                "[{|TUNE0203:QUniform(0, 10, 0)|}] public double Step { get; init; } = 0;"));

            Assert.Equal("Parameter 'Step' has quantum 0; it must be positive. Use a positive step such as 1.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_NegativeQNormalQuantum_ReportsTune0203()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0203:QNormal(0, 1, -0.5)|}] public double Shift { get; init; }"));
        }

        [Fact]
        public async Task Analyze_PositiveQuantum_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[QNormal(0, 1, 0.5)] public double Shift { get; init; }"));
        }
    }

    public class QuantumDoesNotDivideRange
    {
        [Fact]
        public async Task Analyze_QuantumNotDividingRange_ReportsTune0204()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters(
                "[{|TUNE0204:QUniform(50, 500, 40)|}] public int Trees { get; init; } = 50;"));

            Assert.Equal("Parameter 'Trees' has quantum 40, which does not divide the range 50..500. Use a quantum that divides 450, or move a bound.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_DecimalQuantumDividingRange_ReportsNothing()
        {
            // 0.1 does not divide 0.8 in binary floating point; the rule, like the runtime, works in decimal.
            await AnalyzerVerifier.VerifyAsync(Parameters("[QUniform(0.1, 0.9, 0.1)] public double Subsample { get; init; } = 0.8;"));
        }
    }

    public class NoChoices
    {
        [Fact]
        public async Task Analyze_EmptyChoice_ReportsTune0205()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0205:Choice()|}] public string NGrams { get; init; } = \"bigram\";"));

            Assert.Equal("Parameter 'NGrams' has no choices. Give [Choice] at least one value.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_OneChoice_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[Choice(\"bigram\")] public string NGrams { get; init; } = \"bigram\";"));
        }
    }

    public class DuplicateChoice
    {
        [Fact]
        public async Task Analyze_RepeatedString_ReportsTune0206()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters(
                "[{|TUNE0206:Choice(\"unigram\", \"bigram\", \"unigram\")|}] public string NGrams { get; init; } = \"bigram\";"));

            Assert.Equal("Parameter 'NGrams' lists the choice \"unigram\" more than once. Remove the duplicate.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_SameNumberOfDifferentTypes_ReportsTune0206()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0206:Choice(32, 32L)|}] public long Hidden { get; init; } = 32;"));
        }

        [Fact]
        public async Task Analyze_DistinctChoices_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[Choice(Booster.Gbdt, Booster.Dart)] public Booster Booster { get; init; } = Booster.Dart;"));
        }
    }

    public class MixedChoiceTypes
    {
        [Fact]
        public async Task Analyze_StringAndNumber_ReportsTune0207()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters(
                "[{|TUNE0207:Choice(\"relu\", 1)|}] public string Activation { get; init; } = \"relu\";"));

            Assert.Equal("Parameter 'Activation' mixes choices of types string, number. Use values of one type, the property's.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_IntegerAndRealOnDouble_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[Choice(1, 2.5)] public double Scale { get; init; } = 1;"));
        }
    }

    public class ChoiceTypeMismatch
    {
        [Fact]
        public async Task Analyze_StringsOnInt_ReportsTune0208()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters(
                "[{|TUNE0208:Choice(\"8\", \"16\")|}] public int Width { get; init; } = 8;"));

            Assert.Equal("Parameter 'Width' is int but has the choice \"8\" of type string. Use values of type int, or change the property's type.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_RealOnInt_ReportsTune0208()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0208:Choice(1, 2.5)|}] public int Width { get; init; } = 1;"));
        }

        [Fact]
        public async Task Analyze_NullChoice_ReportsTune0208()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0208:Choice(\"a\", null!)|}] public string Mode { get; init; } = \"a\";"));
        }

        [Fact]
        public async Task Analyze_ChoicesOfPropertyType_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("""
                [Choice(8, 16)] public int Width { get; init; } = 8;
                [Choice(true, false)] public bool UseBias { get; init; } = true;
                [Choice(0.25f, 0.5f)] public float Ratio { get; init; } = 0.5f;
                """));
        }
    }

    public class MultipleDistributions
    {
        [Fact]
        public async Task Analyze_TwoDistributions_ReportsTune0209AtTheSecond()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters(
                "[Uniform(0, 1), {|TUNE0209:LogUniform(0.1, 1)|}] public double Rate { get; init; } = 0.5;"),
                allowCompilerErrors: false);

            Assert.Equal("Parameter 'Rate' has both [Uniform] and [LogUniform]. Keep one distribution attribute.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_OneDistribution_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[Uniform(0, 1)] public double Rate { get; init; } = 0.5;"));
        }
    }

    public class WrongPropertyType
    {
        [Fact]
        public async Task Analyze_UniformOnString_ReportsTune0210()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters(
                "[{|TUNE0210:Uniform(0, 1)|}] public string Rate { get; init; } = \"0.5\";"));

            Assert.Equal("Parameter 'Rate' is string, but [Uniform] applies to double or float properties. Change the property's type, or use [Choice].", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_IntRangeOnDouble_ReportsTune0210()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0210:IntRange(1, 10)|}] public double Depth { get; init; } = 1;"));
        }

        [Fact]
        public async Task Analyze_ChoiceOnNullableInt_ReportsTune0210()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0210:Choice(1, 2)|}] public int? Depth { get; init; } = 1;"));
        }

        [Fact]
        public async Task Analyze_SupportedTypes_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("""
                [Uniform(0, 1)] public float Dropout { get; init; } = 0.5f;
                [QUniform(0, 10, 2)] public long Step { get; init; } = 2;
                [IntRange(1, 10)] public long Depth { get; init; } = 1;
                """));
        }
    }

    public class DefaultOutOfRange
    {
        [Fact]
        public async Task Analyze_DefaultAboveMax_ReportsTune0211()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters(
                "[{|TUNE0211:LogUniform(0.001, 0.3)|}] public double LearningRate { get; init; } = 0.5;"));

            Assert.Equal("Parameter 'LearningRate' defaults to 0.5, outside [0.001, 0.3]. Initialize it with a value in range, or widen the range.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_IntDefaultBelowMin_ReportsTune0211()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0211:IntRange(8, 256)|}] public int Leaves { get; init; } = 4;"));
        }

        [Fact]
        public async Task Analyze_NonPositiveLogNormalDefault_ReportsTune0211()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0211:LogNormal(0.01, 1)|}] public double Decay { get; init; } = 0;"));
        }

        [Fact]
        public async Task Analyze_DefaultOnTheBounds_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("""
                [Uniform(0.1, 0.3)] public double Low { get; init; } = 0.1;
                [Uniform(0.1, 0.3)] public float High { get; init; } = 0.3f;
                [Uniform(0.1, 0.3)] public double NoInitializer { get; init; }
                """));
        }
    }

    public class DefaultNotAChoice
    {
        [Fact]
        public async Task Analyze_StringDefaultNotListed_ReportsTune0212()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters(
                "[{|TUNE0212:Choice(\"unigram\", \"bigram\")|}] public string NGrams { get; init; } = \"trigram\";"));

            Assert.Equal("Parameter 'NGrams' defaults to \"trigram\", which is not one of its choices \"unigram\", \"bigram\". Initialize it with one of the choices, or add it to [Choice].", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_EnumDefaultNotListed_ReportsTune0212()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0212:Choice(Booster.Gbdt, Booster.Dart)|}] public Booster Booster { get; init; } = Booster.Goss;"));
        }

        [Fact]
        public async Task Analyze_ListedDefaults_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("""
                [Choice(Booster.Gbdt, Booster.Dart)] public Booster Booster { get; init; } = Booster.Dart;
                [Choice(32, 64)] public long Hidden { get; init; } = 64;
                [Choice(0.1f, 0.2f)] public float Ratio { get; init; } = 0.2f;
                """));
        }
    }

    public class DefaultOffGrid
    {
        [Fact]
        public async Task Analyze_DefaultBetweenGridPoints_ReportsTune0213()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters(
                "[{|TUNE0213:QUniform(50, 500, 50)|}] public int Trees { get; init; } = 120;"));

            Assert.Equal("Parameter 'Trees' defaults to 120, which is not on its grid of step 50 from 50. Initialize it with a value on the grid, such as 100.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_QNormalDefaultNotAMultiple_ReportsTune0213()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0213:QNormal(0, 4, 2)|}] public int Offset { get; init; } = 3;"));
        }

        [Fact]
        public async Task Analyze_DefaultOnGrid_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("""
                [QUniform(50, 500, 50)] public int Trees { get; init; } = 100;
                [QUniform(0.1, 0.9, 0.1)] public double Subsample { get; init; } = 0.7;
                """));
        }
    }

    public class PropertyNotSettable
    {
        [Fact]
        public async Task Analyze_GetterOnly_ReportsTune0214()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters(
                "[{|TUNE0214:Uniform(0, 1)|}] public double Rate { get; } = 0.5;"));

            Assert.Equal("Parameter 'Rate' is not an instance property with an accessible get and set or init accessor, so the search space cannot fill it. Declare it as public double Rate { get; init; }.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_PrivateSetter_ReportsTune0214()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0214:Uniform(0, 1)|}] public double Rate { get; private set; } = 0.5;"));
        }

        [Fact]
        public async Task Analyze_StaticProperty_ReportsTune0214()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0214:Uniform(0, 1)|}] public static double Rate { get; set; } = 0.5;"));
        }

        [Fact]
        public async Task Analyze_InternalSetter_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[Uniform(0, 1)] public double Rate { get; internal set; } = 0.5;"));
        }
    }

    public class SigmaNotPositive
    {
        [Fact]
        public async Task Analyze_ZeroSigma_ReportsTune0215()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0215:Normal(0, 0)|}] public double Shift { get; init; }"));

            Assert.Equal("Parameter 'Shift' has sigma 0; it must be positive. Use a positive sigma such as 1.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_PositiveSigma_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[Normal(0, 0.1)] public double Shift { get; init; }"));
        }
    }

    public class LogNormalMedianNotPositive
    {
        [Fact]
        public async Task Analyze_ZeroMedian_ReportsTune0216()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0216:LogNormal(0, 1)|}] public double Decay { get; init; } = 1;"));

            Assert.Equal("Parameter 'Decay' is log-normal with median 0; the median is in the parameter's own units and must be positive. Use a positive mu such as 1, or use [Normal].", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_PositiveMedian_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[QLogNormal(16, 0.5, 1)] public long BatchSize { get; init; } = 16;"));
        }
    }

    public class NonFiniteNumber
    {
        [Fact]
        public async Task Analyze_InfiniteMax_ReportsTune0217()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters(
                "[{|TUNE0217:Uniform(0, double.PositiveInfinity)|}] public double Rate { get; init; } = 0.5;"));

            Assert.Equal("Parameter 'Rate' has Max Infinity; it must be a finite number. Use a finite value.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_NaNSigma_ReportsTune0217()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0217:Normal(0, double.NaN)|}] public double Shift { get; init; }"));
        }

        [Fact]
        public async Task Analyze_FiniteArguments_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[Uniform(-1e300, 1e300)] public double Rate { get; init; }"));
        }
    }

    public class IntegerArgumentNotWhole
    {
        [Fact]
        public async Task Analyze_FractionalQuantumOnInt_ReportsTune0218()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0218:QUniform(0, 10, 0.5)|}] public int Steps { get; init; } = 0;"));

            Assert.Equal("Parameter 'Steps' is an integer but its quantum is 0.5. Use a whole number, or make the property a double.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_FractionalQuantumOnDouble_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[QUniform(0, 10, 0.5)] public double Steps { get; init; } = 0;"));
        }
    }

    public class BoundOutsideInt32
    {
        [Fact]
        public async Task Analyze_IntRangeBeyondIntOnInt_ReportsTune0219()
        {
            var diagnostics = await AnalyzerVerifier.VerifyAsync(Parameters("[{|TUNE0219:IntRange(1, 5000000000)|}] public int Rows { get; init; } = 1;"));

            Assert.Equal("Parameter 'Rows' is an int but its Max is 5000000000, which does not fit in an int. Use a bound between -2147483648 and 2147483647, or make the property a long.", Message(diagnostics));
        }

        [Fact]
        public async Task Analyze_IntRangeBeyondIntOnLong_ReportsNothing()
        {
            await AnalyzerVerifier.VerifyAsync(Parameters("[IntRange(1, 5000000000)] public long Rows { get; init; } = 1;"));
        }
    }
}
