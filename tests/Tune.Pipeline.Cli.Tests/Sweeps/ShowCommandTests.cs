using System.Globalization;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Cli.Tests.Sweeps;

public sealed class ShowCommandTests(SweptStore store) : IClassFixture<SweptStore>
{
    [Fact]
    public async Task Show_Sweep_ListsSettingsThenTrialsBestFirstThenTheBestParameters()
    {
        var trials = await store.TrialsAsync("alpha");
        var expected = trials.BestFirst(Goal.Minimize).Select(t => t.Number.ToString(CultureInfo.InvariantCulture));
        var best = trials.Where(t => t.State == TrialState.Completed).MinBy(t => t.Value)!;

        var (code, output, error) = await Tune.RunAsync("show", "alpha", "--store", store.Path);

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("  goal           minimize", output, StringComparison.Ordinal);
        Assert.Contains("  sampler        auto", output, StringComparison.Ordinal);
        Assert.Contains("    Rate: LogUniform(0.0001, 1)", output, StringComparison.Ordinal);
        var header = output[output.IndexOf("Trials, best first", StringComparison.Ordinal)..].Split('\n')[1];
        Assert.EndsWith("attempts  duration  agent", header.TrimEnd(), StringComparison.Ordinal);
        var table = output[output.IndexOf("Trials, best first", StringComparison.Ordinal)..].Split('\n').Skip(2).TakeWhile(l => l.Length > 0);
        Assert.Equal(expected, table.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]));
        Assert.Contains($"Best trial {best.Number} of sweep 'alpha' (minimize): {best.Value!.Value.ToString("R", CultureInfo.InvariantCulture)}", output, StringComparison.Ordinal);
        Assert.Contains($"  Rate = {best.Configuration.GetDouble("Rate").ToString("R", CultureInfo.InvariantCulture)}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_UnknownSweep_ExitsTwoNamingTheStoreAndTheNearestSweep()
    {
        var (code, output, error) = await Tune.RunAsync("show", "alpah", "--store", store.Path);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal($"No sweep 'alpah' in the store '{store.Path}'. Did you mean 'alpha'?{Environment.NewLine}", error);
    }

    [Fact]
    public async Task Show_MissingStoreFile_ExitsTwoSayingWhereItLooked()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"tune-{Guid.NewGuid():N}.db");

        var (code, _, error) = await Tune.RunAsync("show", "alpha", "--store", missing);

        Assert.Equal(2, code);
        Assert.StartsWith($"There is no sweep store at '{missing}'.", error, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
    }
}
