using Tune.Pipeline.Benchmarks;

namespace Tune.Pipeline.Tests.Benchmarks;

/// <summary>The test values of shared/bench/PROBLEMS.md, to about 1e-13 relative.</summary>
public class BenchmarkProblemsTests
{
    [Theory]
    [InlineData(3.141592653589793, 2.275, 0.39788735772973816)]
    [InlineData(-3.230052688481053, 6.303568200288669, 38.69006957378102)]
    [InlineData(6.774634412545311, 8.761671102028814, 76.45129021959089)]
    public void Branin_MatchesTheReference(double x0, double x1, double expected) =>
        AssertClose(expected, BenchmarkProblems.Branin(x0, x1));

    [Theory]
    [InlineData(new[] { 0.20168951120687512, 0.15001069197916334, 0.47687397569395584, 0.27533242998375973, 0.311651615600933, 0.6573005347909937 }, -3.322368011415515)]
    [InlineData(new[] { 0.3696105276035787, 0.045968557994312986, 0.9973779438481493, 0.5634190355397504, 0.20945150004387114, 0.050388482096835774 }, -0.038346815551122904)]
    [InlineData(new[] { 0.8285991137961279, 0.2629593708073541, 0.20498932963503513, 0.26578676802890133, 0.22479050335861428, 0.8486739441559723 }, -0.6527208468699862)]
    public void Hartmann6_MatchesTheReference(double[] x, double expected) =>
        AssertClose(expected, BenchmarkProblems.Hartmann6(x));

    [Theory]
    [InlineData(new[] { 1.0, 1.0, 1.0, 1.0 }, 0.0)]
    [InlineData(new[] { 5.072404769748246, 6.78407936660987, 4.895471567745325, 6.772909121805187 }, 234669.70947676594)]
    [InlineData(new[] { 0.7871933847556543, 1.3178803573209228, 7.318151159302365, 7.4885750993963764 }, 215418.60268090546)]
    public void Rosenbrock4_MatchesTheReference(double[] x, double expected) =>
        AssertClose(expected, BenchmarkProblems.Rosenbrock(x));

    [Theory]
    [InlineData(0.001, 0.0001, 0.0)]
    [InlineData(0.3137205258687882, 0.027135812736616624, 18.2303015119576)]
    [InlineData(0.0007053701405397581, 0.00019388747507236684, 0.062074611870483916)]
    public void LogBowl_MatchesTheReference(double lr, double reg, double expected) =>
        AssertClose(expected, BenchmarkProblems.LogBowl(lr, reg));

    [Theory]
    [InlineData("b", "standard", 6, 0.5, 0.01, 0.0)]
    [InlineData("b", "none", 7, 0.21261739927563406, 0.0276264902372253, 0.7967128475683211)]
    [InlineData("b", "standard", 10, 0.6800166299630155, 0.017642562106307356, 1.2681029381421194)]
    public void TabularMixed_MatchesTheReference(string kernel, string scaler, long depth, double frac, double lr, double expected) =>
        AssertClose(expected, BenchmarkProblems.TabularMixed(kernel, scaler, depth, frac, lr));

    [Fact]
    public void All_OptimaAreAttainedAtTheDocumentedMinimisers()
    {
        var branin = BenchmarkProblems.All.Single(p => p.Name == "branin");
        var configuration = branin.Space.FromDictionary(new Dictionary<string, object?> { ["x0"] = Math.PI, ["x1"] = 2.275 });

        AssertClose(branin.Optimum, branin.Objective(configuration));
        Assert.Equal(5, BenchmarkProblems.All.Count);
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-13 * Math.Max(1.0, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");
}
