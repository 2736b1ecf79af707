using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Hosting.Tests;

/// <summary>The host takes the experiment's name, objective and goal from the generated space; options only override.</summary>
public sealed class ExperimentIdentityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tune-identity-").FullName;

    private string Store => Path.Combine(_directory, "tune.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task RunAsync_SpaceWithoutIdentityAndNoOptions_ThrowsNamingTheFix()
    {
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ExperimentHost.RunAsync<Quadratic, Quadratic.Parameters>(["status"], new Space(identity: null), new ExperimentHostOptions { Output = TextWriter.Null, Error = TextWriter.Null }, TestContext.Current.CancellationToken));

        Assert.Contains("[Experiment] and [Objective]", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_DefaultSweepName_IsTheNameTheSpaceCarries()
    {
        await using (var store = new Tune.Pipeline.Stores.Sqlite.SqliteSweepStore(Store))
        {
            await store.ListSweepsAsync(TestContext.Current.CancellationToken);
        }

        var error = new StringWriter();

        var exitCode = await ExperimentHost.RunAsync<Quadratic, Quadratic.Parameters>(
            ["status", "--store", Store], new Space(new ExperimentIdentity("declared-name", "loss", Goal.Minimize)), new ExperimentHostOptions { Output = TextWriter.Null, Error = error }, TestContext.Current.CancellationToken);

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains("Sweep 'declared-name' does not exist", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SweepResume_ObjectiveOrGoalChanged_IsRefusedNamingBoth()
    {
        // The test experiment declares ("QuadraticExperiment", "objective", Minimize) over the same parameter X.
        var swept = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--sweep", "q", "--store", Store, "--max-trials", "2", "--agents", "1", "--no-publish");
        Assert.True(swept.ExitCode == 0, swept.Error);
        var error = new StringWriter();

        var exitCode = await ExperimentHost.RunAsync<Quadratic, Quadratic.Parameters>(
            ["sweep", "--sweep", "q", "--store", Store, "--resume"], new Space(new ExperimentIdentity("QuadraticExperiment", "loss", Goal.Maximize)),
            new ExperimentHostOptions { Output = TextWriter.Null, Error = error }, TestContext.Current.CancellationToken);

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains("goal: recorded Minimize, the experiment now declares Maximize", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("objective: recorded 'objective', the experiment now declares 'loss'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_StoreWithUnknownScheme_ExitsWithUsageErrorNamingTheKnownOnes()
    {
        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--store", "mysql://db/tune", "--agents", "0");

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains("--store names the scheme 'mysql', which no sweep store has", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Where_Json_NamesTheExperimentItsHomeAndWhereItPublishes()
    {
        var artifacts = Path.Combine(_directory, "models");
        var space = new Space(new ExperimentIdentity("declared-name", "loss", Goal.Minimize));
        var output = new StringWriter();

        var exitCode = await ExperimentHost.RunAsync<Quadratic, Quadratic.Parameters>(
            ["where", "--json", "--artifacts", artifacts], space, new ExperimentHostOptions { Output = output, Error = TextWriter.Null }, TestContext.Current.CancellationToken);

        Assert.Equal(ExperimentHost.Success, exitCode);
        using var before = System.Text.Json.JsonDocument.Parse(output.ToString());
        Assert.Equal("declared-name", before.RootElement.GetProperty("experiment").GetString());
        Assert.Equal(Path.Combine(artifacts, "declared-name"), before.RootElement.GetProperty("published").GetString());
        Assert.False(before.RootElement.GetProperty("hasModel").GetBoolean());
        Assert.EndsWith(Path.Combine(".tune", "tune.db"), before.RootElement.GetProperty("store").GetString(), StringComparison.Ordinal);

        Directory.CreateDirectory(Path.Combine(artifacts, "declared-name"));
        await File.WriteAllTextAsync(Path.Combine(artifacts, "declared-name", "manifest.json"), "{}", TestContext.Current.CancellationToken);
        var text = new StringWriter();
        await ExperimentHost.RunAsync<Quadratic, Quadratic.Parameters>(
            ["where", "--artifacts", artifacts], space, new ExperimentHostOptions { Output = text, Error = TextWriter.Null }, TestContext.Current.CancellationToken);

        Assert.Contains($"published   {Path.Combine(artifacts, "declared-name")} (holds a published model)", text.ToString(), StringComparison.Ordinal);
    }

    private sealed class Quadratic : IExperiment<Quadratic.Parameters>
    {
        public ValueTask PrepareAsync(ExperimentContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<TrialResult> RunTrialAsync(Parameters parameters, TrialContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult<TrialResult>((parameters.X - 0.3) * (parameters.X - 0.3));

        public ValueTask RetrainAsync(Parameters parameters, ExperimentContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public sealed class Parameters
        {
            public double X { get; init; } = 0.5;
        }
    }

    private sealed class Space(ExperimentIdentity? identity) : SearchSpace<Quadratic.Parameters>([Parameter.Uniform("X", 0, 1)])
    {
        public override ExperimentIdentity? Experiment => identity;

        public override Quadratic.Parameters ToParameters(Configuration configuration) => new() { X = configuration.GetDouble("X") };

        public override Configuration ToConfiguration(Quadratic.Parameters parameters) => CreateConfiguration([parameters.X]);

        protected override Quadratic.Parameters CreateDefault() => new();
    }
}
