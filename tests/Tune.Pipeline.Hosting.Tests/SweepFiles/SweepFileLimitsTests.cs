using System.Diagnostics;
using System.Text;
using Tune.Pipeline.Hosting.SweepFiles;
using Tune.Pipeline.Hosting.Yaml;

namespace Tune.Pipeline.Hosting.Tests.SweepFiles;

/// <summary>The hard limits a sweep file is read within: size, encoding, one document, depth, alias expansion.</summary>
public class SweepFileLimitsTests
{
    private static string Mistake(string yaml) =>
        Assert.Single(Assert.Throws<SweepFileException>(() => SweepFileParser.Parse(yaml, "sweep.yaml")).Problems);

    [Fact]
    public void Parse_NestedJustWithinTheLimit_IsRead()
    {
        var yaml = "space: " + new string('[', BoundedYaml.MaxDepth - 1) + new string(']', BoundedYaml.MaxDepth - 1);

        var problem = Mistake(yaml);

        Assert.DoesNotContain("nests more than", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestedBeyondTheLimit_IsRefusedAtTheLevelThatBreaksIt()
    {
        var yaml = "seed: " + new string('[', BoundedYaml.MaxDepth) + new string(']', BoundedYaml.MaxDepth);

        var problem = Mistake(yaml);

        Assert.Equal($"sweep.yaml:1:{6 + BoundedYaml.MaxDepth}: the sweep file nests more than {BoundedYaml.MaxDepth} levels of mappings and sequences; flatten it.", problem);
    }

    [Fact]
    public void Parse_FiftyThousandLevels_IsRefusedWithoutOverflowingTheStack()
    {
        var yaml = "seed: " + new string('{', 50_000);

        var problem = Mistake(yaml);

        Assert.Contains("nests more than", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BillionLaughs_IsRefusedQuickly()
    {
        var lines = new List<string> { "a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        lines.AddRange(Enumerable.Range(1, 9).Select(i => $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]"));
        var watch = Stopwatch.StartNew();

        var problem = Mistake(string.Join('\n', lines));

        Assert.StartsWith("sweep.yaml:5:", problem, StringComparison.Ordinal);
        Assert.Contains($"holds more than {BoundedYaml.MaxNodes:N0} values", problem, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Parse_AFewAliases_AreAllowed()
    {
        var file = SweepFileParser.Parse("seed: &s 7\nbudget: {max-trials: *s}\n", "sweep.yaml");

        Assert.Equal((7L, 7), (file.Seed!.Value, file.Budget.MaxTrials!.Value));
    }

    [Fact]
    public void Parse_SecondDocument_IsRefusedAtItsSeparator()
    {
        var problem = Mistake("seed: 1\n---\nseed: 2\n");

        Assert.StartsWith("sweep.yaml:2:1: the sweep file holds more than one YAML document (a second '---' here)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TextBeyondTheSizeLimit_IsRefused()
    {
        var problem = Mistake("#" + new string(' ', BoundedYaml.MaxBytes));

        Assert.Contains("may be at most 1,048,576 bytes", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Utf8ByteOrderMark_IsSkipped()
    {
        var text = BoundedYaml.Decode([0xEF, 0xBB, 0xBF, .. "seed: 1"u8], "sweep.yaml", "sweep file");

        Assert.Equal("seed: 1", text);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x73, 0x00 }, "sweep.yaml:1:1: the sweep file is UTF-16")]
    [InlineData(new byte[] { 0xFE, 0xFF, 0x00, 0x73 }, "sweep.yaml:1:1: the sweep file is UTF-16")]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x00, 0x00 }, "sweep.yaml:1:1: the sweep file is UTF-32")]
    [InlineData(new byte[] { 0x73, 0x00, 0x65, 0x00 }, "sweep.yaml:1:1: the sweep file looks like UTF-16")]
    [InlineData(new byte[] { 0x61, 0x3A, 0x0A, 0x62, 0xC3, 0x28 }, "sweep.yaml:2:2: the sweep file is not UTF-8 text")]
    [InlineData(new byte[] { 0x61, 0x3A, 0x20, 0x00 }, "sweep.yaml:1:4: the sweep file holds a NUL byte")]
    [InlineData(new byte[] { 0x61, 0x3A, 0x20, 0x1B }, "sweep.yaml:1:4: the sweep file holds the control character U+001B")]
    public void Decode_NotUtf8Text_IsRefusedSayingWhatItIs(byte[] bytes, string expected)
    {
        var exception = Assert.Throws<YamlInputException>(() => BoundedYaml.Decode(bytes, "sweep.yaml", "sweep file"));

        Assert.StartsWith(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileBeyondTheSizeLimit_IsRefusedBeforeReadingIt()
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var stream = File.OpenWrite(path))
            {
                stream.SetLength(BoundedYaml.MaxBytes + 1L);
            }

            var exception = Assert.Throws<SweepFileException>(() => SweepFileParser.Load(path));

            Assert.StartsWith($"{path}:1:1: the sweep file is 1,048,577 bytes", Assert.Single(exception.Problems), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parse_LongValue_IsShortenedInTheMessage()
    {
        var value = new string('y', 10_000);

        var problem = Mistake($"sampler: {value}\n");

        Assert.DoesNotContain(value, problem, StringComparison.Ordinal);
        Assert.Contains("... (10,000 characters)", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("publish: {azure: {credential-variable: \"AccountName=a;AccountKey=S3cret\"}}")]
    [InlineData("publish: {azure: {credential-variable: \"https://a.blob.core.windows.net/c?sig=S3cret\"}}")]
    [InlineData("store: postgresql://tuner:S3cret@db/tune")]
    [InlineData("tracking: {mlflow: \"https://user:S3cret@mlflow\"}")]
    [InlineData("publish: {azure: {service-uri: \"https://a.blob.core.windows.net/?sig=S3cret\"}}")]
    [InlineData("sampler: \"password=S3cret\"")]
    [InlineData("\"AccountKey=S3cret\": 1")]
    public void Parse_ValueThatMayHoldASecret_IsRefusedWithoutEchoingIt(string yaml)
    {
        var problem = Mistake(yaml + "\n");

        Assert.StartsWith("sweep.yaml:1:", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cret", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgresql://tuner@db:5432/tune")]
    [InlineData("postgresql://db/tune?sslmode=require")]
    public void Parse_StoreUrlWithoutPassword_IsAccepted(string url)
    {
        var file = SweepFileParser.Parse($"store: \"{url}\"\n", "sweep.yaml");

        Assert.Equal(url, file.Store);
    }

    [Fact]
    public void Parse_RangeMistakes_AreLeftToTheOptionsRulesWithTheirLocations()
    {
        var file = SweepFileParser.Parse("budget:\n  max-trials: 0\n  max-retries: -1\n", "sweep.yaml");

        Assert.Equal((0, -1), (file.Budget.MaxTrials!.Value, file.Budget.MaxRetries!.Value));
        Assert.Equal("sweep.yaml:2:15", file.Locations["budget.max-trials"]);
        Assert.Equal("sweep.yaml:3:16", file.Locations["budget.max-retries"]);
    }

    [Fact]
    public void Parse_WithProblemsList_KeepsWhatItCouldRead()
    {
        var problems = new List<string>();

        var file = SweepFileParser.Parse("seed: x\nbudget: {max-trials: 0}\n", "sweep.yaml", problems);

        Assert.Equal(0, file!.Budget.MaxTrials);
        Assert.StartsWith("sweep.yaml:1:7: 'seed' is 'x'", Assert.Single(problems), StringComparison.Ordinal);
    }
}
