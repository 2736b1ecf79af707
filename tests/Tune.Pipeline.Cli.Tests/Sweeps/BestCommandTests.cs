using System.Text.Json;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Cli.Tests.Sweeps;

public sealed class BestCommandTests(SweptStore store) : IClassFixture<SweptStore>
{
    [Theory]
    [InlineData("alpha", Goal.Minimize)]
    [InlineData("beta", Goal.Maximize)]
    public async Task Best_Json_IsTheStoresBestCompletedTrialForTheGoal(string sweep, Goal goal)
    {
        var completed = (await store.TrialsAsync(sweep)).Where(t => t.State == TrialState.Completed).ToList();
        var expected = goal == Goal.Minimize ? completed.MinBy(t => t.Value)! : completed.MaxBy(t => t.Value)!;

        var (code, output, error) = await Tune.RunAsync("best", sweep, "--store", store.Path, "--json");

        Assert.Equal(0, code);
        Assert.Empty(error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(expected.Number, root.GetProperty("trial").GetInt32());
        Assert.Equal(expected.Value, root.GetProperty("value").GetDouble());
        var parameters = root.GetProperty("parameters");
        Assert.Equal(expected.Configuration.GetDouble("Rate"), parameters.GetProperty("Rate").GetDouble());
        Assert.Equal(expected.Configuration.GetInt64("Depth"), parameters.GetProperty("Depth").GetInt64());
        Assert.Equal(expected.Configuration["Kernel"], parameters.GetProperty("Kernel").GetString());
    }

    [Fact]
    public async Task Best_UnknownSweepInStoreWithoutNearName_ListsWhereToLook()
    {
        var (code, _, error) = await Tune.RunAsync("best", "resnet-lr", "--store", store.Path);

        Assert.Equal(2, code);
        Assert.Equal($"No sweep 'resnet-lr' in the store '{store.Path}'. `tune list` shows its sweeps.{Environment.NewLine}", error);
    }
}
