using System.Text.Json;

namespace Tune.Pipeline.Cli.Tests.AskTell;

public class AskTellCommandTests
{
    private const string Space = """
        goal: minimize
        parameters:
          x0: {type: uniform, min: -5, max: 10}
          lr: {type: loguniform, min: 1e-5, max: 1}
          depth: {type: int, min: 1, max: 12}
          kernel: {type: choice, values: [a, b, c]}
          trees: {type: quniform, min: 50, max: 500, q: 50}
        """;

    [Fact]
    public async Task AskTellBest_ThroughTheCommand_AnswersOneObjectPerLine()
    {
        using var file = new TempFile(Space);

        var (code, lines, error) = await RunAsync(file.Path, "random", 3, """
            {"op":"ask"}
            {"op":"tell","trial":0,"value":0.42}
            {"op":"ask"}
            {"op":"tell","trial":1,"value":0.1}
            {"op":"best"}
            """);

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Equal(5, lines.Count);
        Assert.Equal(0, lines[0].GetProperty("trial").GetInt32());
        Assert.True(lines[1].GetProperty("ok").GetBoolean());
        Assert.Equal(1, lines[4].GetProperty("trial").GetInt32());
        Assert.Equal(0.1, lines[4].GetProperty("value").GetDouble());
        Assert.Equal(lines[2].GetProperty("params").GetRawText(), lines[4].GetProperty("params").GetRawText());
    }

    [Fact]
    public async Task Ask_ParamsCarryValuesInTheirOwnTypes()
    {
        using var file = new TempFile(Space);

        var (_, lines, _) = await RunAsync(file.Path, "auto", 1, "{\"op\":\"ask\"}");

        var parameters = lines[0].GetProperty("params");
        Assert.Contains(parameters.GetProperty("kernel").GetString(), new[] { "a", "b", "c" });
        Assert.InRange(parameters.GetProperty("depth").GetInt64(), 1, 12);
        Assert.Equal(0, parameters.GetProperty("trees").GetInt64() % 50);
        Assert.InRange(parameters.GetProperty("lr").GetDouble(), 1e-5, 1);
    }

    [Fact]
    public async Task Session_MalformedLines_AnswerErrorsAndTheSessionGoesOn()
    {
        using var file = new TempFile(Space);

        var (code, lines, _) = await RunAsync(file.Path, "tpe", 0, """
            not json
            {"op":"bets"}
            {"op":"tell","trial":7,"value":1}
            {"op":"best"}
            {"op":"ask"}
            {"op":"tell","trial":0}
            {"op":"tell","trial":0,"state":"failed"}
            {"op":"tell","trial":0,"value":1}
            """);

        Assert.Equal(0, code);
        Assert.Contains("not valid JSON", lines[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("Did you mean 'best'?", lines[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("never asked", lines[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("No trial has completed", lines[3].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, lines[4].GetProperty("trial").GetInt32());
        Assert.Contains("finite number", lines[5].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(lines[6].GetProperty("ok").GetBoolean());
        Assert.Contains("already told", lines[7].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_SameSeedAndRequests_GiveTheSameAnswers()
    {
        using var file = new TempFile(Space);
        var requests = string.Join('\n', Enumerable.Range(0, 14).Select(n => $"{{\"op\":\"ask\"}}\n{{\"op\":\"tell\",\"trial\":{n},\"value\":{n % 5}}}"));

        var first = await RunAsync(file.Path, "auto", 42, requests);
        var second = await RunAsync(file.Path, "auto", 42, requests);

        Assert.Equal(first.Lines.Select(l => l.GetRawText()), second.Lines.Select(l => l.GetRawText()));
    }

    [Fact]
    public async Task Ask_EightOutstanding_ProposesEightDistinctConfigurationsReproducibly()
    {
        using var file = new TempFile(Space);
        var told = string.Join('\n', Enumerable.Range(0, 12).Select(n => $"{{\"op\":\"ask\"}}\n{{\"op\":\"tell\",\"trial\":{n},\"value\":{n % 5}}}"));
        var requests = told + "\n" + string.Join('\n', Enumerable.Repeat("{\"op\":\"ask\"}", 8));

        var first = await RunAsync(file.Path, "auto", 7, requests);
        var second = await RunAsync(file.Path, "auto", 7, requests);

        var outstanding = first.Lines.Skip(24).Select(l => l.GetProperty("params").GetRawText()).ToList();
        Assert.Equal(Enumerable.Range(12, 8), first.Lines.Skip(24).Select(l => l.GetProperty("trial").GetInt32()));
        Assert.Equal(8, outstanding.Distinct().Count());
        Assert.Equal(outstanding, second.Lines.Skip(24).Select(l => l.GetProperty("params").GetRawText()));
    }

    [Fact]
    public async Task Command_UnknownSampler_ExitsWithUsageErrorAndSuggestion()
    {
        using var file = new TempFile(Space);

        var (code, lines, error) = await RunAsync(file.Path, "gpp", 0, string.Empty);

        Assert.Equal(2, code);
        Assert.Empty(lines);
        Assert.Contains("Did you mean 'gp'?", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_BadSpaceFile_ReportsFileLineAndColumnWithoutAStackTrace()
    {
        using var file = new TempFile("""
            goal: minimize
            parameters:
              x0: {type: uniform, min: 10, max: -5}
            """);

        var (code, _, error) = await RunAsync(file.Path, "auto", 0, string.Empty);

        Assert.Equal(2, code);
        Assert.StartsWith($"{file.Path}:3:7: Parameter 'x0' has Min 10 and Max -5", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[], string> NotASpaceFile => new()
    {
        { "binary", [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00], "is not UTF-8 text" },
        { "png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "is not UTF-8 text" },
        { "utf-16", [0xFF, 0xFE, .. System.Text.Encoding.Unicode.GetBytes("goal: minimize\n")], "is UTF-16" },
        { "nul", "goal: minimize\0\n"u8.ToArray(), "holds a NUL byte" },
        { "unclosed", "parameters: {x: {type: uniform"u8.ToArray(), "is not valid YAML or JSON" },
        { "two-documents", "goal: minimize\n---\ngoal: maximize\n"u8.ToArray(), "more than one YAML document" },
        { "deep", System.Text.Encoding.UTF8.GetBytes("parameters: " + new string('[', 50_000)), "nests more than 64 levels" },
        { "aliases", System.Text.Encoding.UTF8.GetBytes("a: &a [" + string.Join(',', Enumerable.Repeat("x", 1000)) + "]\nb: [" + string.Join(',', Enumerable.Repeat("*a", 200)) + "]\n"), "holds more than" },
        { "text", "just words\n"u8.ToArray(), "must be a mapping" },
    };

    [Theory]
    [MemberData(nameof(NotASpaceFile))]
    public async Task AskTell_SpaceFileNotYaml_ExitsTwoWithALocatedMessage(string name, byte[] bytes, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tune-space-{name}-{Guid.NewGuid():N}.yaml");
        await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);
        try
        {
            var (code, _, error) = await RunAsync(path, "auto", 0, string.Empty);

            Assert.Equal(2, code);
            Assert.StartsWith($"{path}:", error, StringComparison.Ordinal);
            Assert.Contains(expected, error, StringComparison.Ordinal);
            Assert.DoesNotContain(" at ", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<(int Code, List<JsonElement> Lines, string Error)> RunAsync(string space, string sampler, int seed, string input)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await TuneCommand.RunAsync(["ask-tell", "--space", space, "--sampler", sampler, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture)], new StringReader(input), output, error);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        return (code, lines, error.ToString());
    }
}
