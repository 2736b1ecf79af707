using Tune.Pipeline.Hosting.SpaceFiles;
using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Hosting.Tests.SpaceFiles;

public class SpaceFileParserTests
{
    [Fact]
    public void Parse_EveryType_BuildsTheMatchingParameters()
    {
        var file = SpaceFileParser.Parse("""
            goal: maximize
            parameters:
              a: {type: uniform, min: -1, max: 1}
              b: {type: loguniform, min: 1e-5, max: 1}
              c: {type: normal, mu: 0, sigma: 2}
              d: {type: lognormal, mu: 1, sigma: 0.5}
              e: {type: quniform, min: 0, max: 1, q: 0.25}
              f: {type: qloguniform, min: 50, max: 500, q: 50}
              g: {type: qnormal, mu: 0, sigma: 3, q: 1}
              h: {type: qlognormal, mu: 4, sigma: 1, q: 2}
              i: {type: int, min: 8, max: 256, log: true}
              j: {type: choice, values: [x, "2", y]}
              l: {type: choice, values: [1, 2, 4]}
              k: {type: uniform, min: 1e-3, max: 1, log: true}
            """, "space.yaml");

        Assert.Equal(Goal.Maximize, file.Goal);
        Assert.Equal(
            [ParameterKind.Uniform, ParameterKind.LogUniform, ParameterKind.Normal, ParameterKind.LogNormal, ParameterKind.QUniform, ParameterKind.QLogUniform,
             ParameterKind.QNormal, ParameterKind.QLogNormal, ParameterKind.IntRange, ParameterKind.Choice, ParameterKind.Choice, ParameterKind.LogUniform],
            file.Space.Parameters.Select(p => p.Kind));
        Assert.True(file.Space["i"].IsLog);
        Assert.Equal(ParameterValueKind.Integer, file.Space["f"].ValueKind);
        Assert.Equal(new object[] { "x", "2", "y" }, file.Space["j"].Choices);
        Assert.Equal(new object[] { 1L, 2L, 4L }, file.Space["l"].Choices);
    }

    [Fact]
    public void Parse_Json_IsAcceptedAsYaml()
    {
        var file = SpaceFileParser.Parse("""{"goal": "minimize", "parameters": {"lr": {"type": "loguniform", "min": 1e-4, "max": 1}}}""", "space.json");

        Assert.Equal(Goal.Minimize, file.Goal);
        Assert.Equal(1e-4, file.Space["lr"].Min);
    }

    [Fact]
    public void Parse_SeveralMistakes_ReportsEachWithFileLineAndColumn()
    {
        var exception = Assert.Throws<SpaceFileException>(() => SpaceFileParser.Parse("""
            goal: minimise
            parameters:
              lr: {type: logunifrm, min: 1e-5, max: 1}
              depth: {type: int, min: 1, maxx: 12}
            """, "space.yaml"));

        Assert.Collection(
            exception.Problems,
            p => Assert.Equal("space.yaml:1:7: 'goal' is 'minimise'; use 'minimize' or 'maximize'.", p),
            p => Assert.StartsWith("space.yaml:3:14: parameter 'lr' has type 'logunifrm' (did you mean 'loguniform'?); use one of uniform,", p, StringComparison.Ordinal),
            p => Assert.Equal("space.yaml:4:30: parameter 'depth' of type int has unknown key 'maxx'; the allowed keys are type, min, max, log.", p),
            p => Assert.Equal("space.yaml:4:10: parameter 'depth' of type int has no 'max'; it needs min, max.", p));
    }

    [Fact]
    public void Parse_InvalidYaml_ReportsWhereTheSyntaxBreaks()
    {
        var exception = Assert.Throws<SpaceFileException>(() => SpaceFileParser.Parse("parameters:\n  x: {type: uniform, min: 0\n", "broken.yaml"));

        Assert.Matches(@"^broken\.yaml:\d+:\d+: the space file is not valid YAML or JSON", exception.Problems[0]);
    }

    [Fact]
    public void Parse_NotANumber_NamesTheKey()
    {
        var exception = Assert.Throws<SpaceFileException>(() => SpaceFileParser.Parse("parameters:\n  x: {type: uniform, min: zero, max: 1}\n", "space.yaml"));

        Assert.Equal("space.yaml:2:27: parameter 'x' has 'min' = 'zero'; it must be a number.", exception.Problems[0]);
    }

    [Fact]
    public void Load_MissingFile_SaysSo()
    {
        var exception = Assert.Throws<SpaceFileException>(() => SpaceFileParser.Load("no-such-space.yaml"));

        Assert.Contains("does not exist", exception.Problems[0], StringComparison.Ordinal);
    }
}
