using Tune.Pipeline.Testing.MLflow;
using System.Net;
using System.Text;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stores.Sqlite;
using Tune.Pipeline.Sweeps;
using Tune.Pipeline.Tracking.MLflow.Tests.TestDoubles;

namespace Tune.Pipeline.Tracking.MLflow.Tests;

/// <summary>
/// One suite run against <see cref="FakeMLflowServer"/> (always) and a real MLflow tracking server (when
/// <c>TUNE_MLFLOW_TEST_URI</c> is set), so the test double and the real server are held to the same assertions.
/// </summary>
public abstract class MLflowServerContractTests
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates a client for the server under test, optionally under a path prefix; skips the test when there is none.</summary>
    protected abstract MLflowClient CreateClient(string? pathPrefix = null);

    [Fact]
    public async Task Experiment_GetOrCreateTwice_ReturnsTheSameExperiment()
    {
        using var client = CreateClient();
        var name = UniqueName();

        var first = await client.GetOrCreateExperimentAsync(name, cancellationToken: Ct);
        var second = await client.GetOrCreateExperimentAsync(name, cancellationToken: Ct);

        Assert.Equal(first.ExperimentId, second.ExperimentId);
    }

    [Fact]
    public async Task ChildRun_WithParamsStepsAndNaN_ReadsBackAsLogged()
    {
        using var client = CreateClient();
        var experiment = await client.GetOrCreateExperimentAsync(UniqueName(), cancellationToken: Ct);
        var sweep = await client.CreateRunAsync(experiment.ExperimentId, "sweep", cancellationToken: Ct);
        var trial = await client.CreateRunAsync(experiment.ExperimentId, "trial-0", parentRunId: sweep.RunId, cancellationToken: Ct);
        var start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        MLflowMetric[] steps = [new("auc", 0.5, start, 0), new("auc", double.NaN, start.AddSeconds(1), 1), new("auc", 0.75, start.AddSeconds(2), 2)];

        await client.LogBatchAsync(trial.RunId, new MLflowBatch { Params = [new MLflowParam("NGrams", "bigram")], Metrics = steps }, Ct);
        await client.UpdateRunAsync(trial.RunId, MLflowRunStatus.Killed, cancellationToken: Ct);
        var fetched = await client.GetRunAsync(trial.RunId, Ct);
        var history = await client.GetMetricHistoryAsync(trial.RunId, "auc", Ct);

        Assert.Equal(sweep.RunId, fetched.ParentRunId);
        Assert.Equal("bigram", fetched.Params["NGrams"]);
        Assert.Equal(MLflowRunStatus.Killed, fetched.Status);
        Assert.Equal(steps, history.OrderBy(m => m.Step));
    }

    [Fact]
    public async Task LogBatch_2500Metrics_AllArrive()
    {
        using var client = CreateClient();
        var experiment = await client.GetOrCreateExperimentAsync(UniqueName(), cancellationToken: Ct);
        var run = await client.CreateRunAsync(experiment.ExperimentId, cancellationToken: Ct);
        var start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

        var result = await client.LogBatchAsync(run.RunId, new MLflowBatch { Metrics = [.. Enumerable.Range(0, 2500).Select(i => new MLflowMetric("loss", i, start, i))] }, Ct);

        Assert.Equal(3, result.RequestCount);
        Assert.Equal(2500, (await client.GetMetricHistoryAsync(run.RunId, "loss", Ct)).Count);
    }

    [Fact]
    public async Task Param_LoggedAgainWithAnotherValue_Throws400InvalidParameterValue()
    {
        using var client = CreateClient();
        var experiment = await client.GetOrCreateExperimentAsync(UniqueName(), cancellationToken: Ct);
        var run = await client.CreateRunAsync(experiment.ExperimentId, cancellationToken: Ct);
        await client.LogBatchAsync(run.RunId, new MLflowBatch { Params = [new MLflowParam("lr", "0.1")] }, Ct);

        var error = await Assert.ThrowsAsync<MLflowException>(() => client.LogBatchAsync(run.RunId, new MLflowBatch { Params = [new MLflowParam("lr", "0.2")] }, Ct));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(MLflowErrorCodes.InvalidParameterValue, error.ErrorCode);
    }

    [Fact]
    public async Task Run_Unknown_Throws404ResourceDoesNotExist()
    {
        using var client = CreateClient();

        var error = await Assert.ThrowsAsync<MLflowException>(() => client.GetRunAsync("00000000000000000000000000000000", Ct));

        Assert.Equal(MLflowErrorCodes.ResourceDoesNotExist, error.ErrorCode);
    }

    [Fact]
    public async Task Search_ByTagInPagesOfTwo_FindsEveryTaggedRunOnce()
    {
        using var client = CreateClient();
        var experiment = await client.GetOrCreateExperimentAsync(UniqueName(), cancellationToken: Ct);
        var created = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await client.CreateRunAsync(experiment.ExperimentId, tags: [new MLflowTag("tune.sweep", "s1")], cancellationToken: Ct)).RunId);
        }

        await client.CreateRunAsync(experiment.ExperimentId, tags: [new MLflowTag("tune.sweep", "s2")], cancellationToken: Ct);
        var query = new MLflowRunQuery { ExperimentIds = [experiment.ExperimentId], Filter = "tags.`tune.sweep` = 's1'", PageSize = 2 };

        var found = await client.SearchRunsAsync(query, Ct).Select(r => r.RunId).ToListAsync(Ct);

        Assert.Equal(5, found.Count);
        Assert.Equal(created, found.ToHashSet());
    }

    [Fact]
    public async Task UnknownRoute_ThrowsEndpointNotFound()
    {
        using var client = CreateClient("no-such-prefix/");

        var error = await Assert.ThrowsAsync<MLflowException>(() => client.GetRunAsync("abc", Ct));

        Assert.Equal(MLflowErrorCodes.EndpointNotFound, error.ErrorCode);
    }

    [Fact]
    public async Task Artifact_UploadedAndRegistered_CreatesAModelVersion()
    {
        using var client = CreateClient();
        var experiment = await client.GetOrCreateExperimentAsync(UniqueName(), cancellationToken: Ct);
        var run = await client.CreateRunAsync(experiment.ExperimentId, cancellationToken: Ct);
        using var content = new MemoryStream(Encoding.UTF8.GetBytes("{\"model\":true}"));
        var modelName = UniqueName();

        await client.UploadArtifactAsync(run.ExperimentId, run.RunId, "model/model.json", content, Ct);
        await client.GetOrCreateRegisteredModelAsync(modelName, cancellationToken: Ct);
        var version = await client.CreateModelVersionAsync(modelName, MLflowClient.GetArtifactUri(run.ExperimentId, run.RunId, "model"), run.RunId, Ct);

        Assert.Equal("1", version.Version);
    }

    [Fact]
    public async Task Forwarder_SweepResumedAndDeliveredAgain_ReadsBackAsOneParentWithOneChildPerTrial()
    {
        using var client = CreateClient();
        var directory = Directory.CreateTempSubdirectory("tune-mlflow-contract-");
        try
        {
            var store = new SqliteSweepStore(Path.Combine(directory.FullName, "tune.db"));
            await using (store)
            {
                var sweepName = UniqueName();
                await store.SetTrackingNamesAsync(sweepName, sweepName, "loss", Ct);
                foreach (var maxTrials in new[] { 2, 4 })
                {
                    var sweep = new SweepBuilder(sweepName).UseStore(store).Configure(o => o.MaxTrials = maxTrials).Build(new SearchSpace([Parameter.Uniform("X", -1, 1)]));
                    await sweep.RunAsync(new QuadraticAgent(), Ct);
                    await using var forwarder = new MLflowForwarder(store, client);
                    await forwarder.DeliverPendingAsync(Ct);
                }

                var experiment = (await client.GetExperimentByNameAsync(sweepName, Ct))!;
                var runs = await client.SearchRunsAsync(new MLflowRunQuery { ExperimentIds = [experiment.ExperimentId] }, Ct).ToListAsync(Ct);
                var parent = Assert.Single(runs, r => r.ParentRunId is null);
                var history = await client.GetMetricHistoryAsync(Assert.Single(runs, r => r.RunName == "trial-3").RunId, "loss", Ct);

                Assert.Equal(5, runs.Count);
                Assert.Equal(MLflowRunStatus.Finished, parent.Status);
                Assert.All(runs.Where(r => r != parent), r => Assert.Equal((parent.RunId, MLflowRunStatus.Finished), (r.ParentRunId, r.Status)));
                Assert.Equal([1L, 2L, 2L], history.Select(m => m.Step).Order());
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static string UniqueName() => $"tune-pipeline-test-{Guid.NewGuid():N}";

    /// <summary>Reports two steps, then a final value of (x - 0.5)^2.</summary>
    private sealed class QuadraticAgent : ITrialAgent
    {
        public ValueTask<TrialResult> RunTrialAsync(Configuration configuration, TrialContext context, CancellationToken cancellationToken)
        {
            var loss = Math.Pow(configuration.GetDouble("X") - 0.5, 2);
            context.Report(1, loss + 1);
            context.Report(2, loss + 0.5);
            return ValueTask.FromResult<TrialResult>(loss);
        }
    }
}

/// <summary>The contract suite against the in-process test double.</summary>
public sealed class FakeServerContractTests : MLflowServerContractTests, IAsyncDisposable
{
    private readonly FakeMLflowServer _server = FakeMLflowServer.Start();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    protected override MLflowClient CreateClient(string? pathPrefix = null) =>
        new(new MLflowClientOptions { TrackingUri = new Uri(_server.Uri, pathPrefix ?? string.Empty), MaxRetries = 0 });
}

/// <summary>
/// The contract suite against a real MLflow tracking server, opt-in: set <c>TUNE_MLFLOW_TEST_URI</c> to its address
/// (started with <c>mlflow server --serve-artifacts</c>); MLflow's own <c>MLFLOW_TRACKING_USERNAME</c>/<c>PASSWORD</c>/
/// <c>TOKEN</c> are used when set. Without it every test is reported as skipped, never as passed.
/// </summary>
public sealed class RealServerContractTests : MLflowServerContractTests
{
    public const string UriVariable = "TUNE_MLFLOW_TEST_URI";

    private static string? ConfiguredUri => Environment.GetEnvironmentVariable(UriVariable);

    protected override MLflowClient CreateClient(string? pathPrefix = null)
    {
        if (string.IsNullOrWhiteSpace(ConfiguredUri))
        {
            Assert.Skip($"No real MLflow server: set {UriVariable} to one (mlflow server --serve-artifacts) to run the integration tests.");
        }

        var options = MLflowClientOptions.FromEnvironment(name => name == MLflowClientOptions.TrackingUriVariable ? ConfiguredUri : Environment.GetEnvironmentVariable(name))!;
        options.TrackingUri = new Uri(new Uri(ConfiguredUri!.TrimEnd('/') + "/"), pathPrefix ?? string.Empty);
        options.MaxRetries = pathPrefix is null ? 2 : 0;
        return new MLflowClient(options);
    }
}
