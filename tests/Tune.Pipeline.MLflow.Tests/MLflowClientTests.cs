using Tune.Pipeline.Testing.MLflow;
using Tune.Pipeline.Testing;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Tune.Pipeline.Tracking.MLflow.Tests.TestDoubles;

namespace Tune.Pipeline.Tracking.MLflow.Tests;

/// <summary>The client over real sockets against <see cref="FakeMLflowServer"/>, the test double of MLFLOW.md.</summary>
public sealed class MLflowClientTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeMLflowServer _server = FakeMLflowServer.Start();
    private readonly RecordingTimeProvider _time = new(Now);
    private readonly List<string> _warnings = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task GetOrCreateExperimentAsync_NewName_CreatesIt()
    {
        using var client = Client();

        var experiment = await client.GetOrCreateExperimentAsync("faq-matching", [new MLflowTag("tune.experiment", "FaqMatching")], Ct);

        Assert.Equal("faq-matching", experiment.Name);
        Assert.Equal("active", experiment.LifecycleStage);
        Assert.Equal($"mlflow-artifacts:/{experiment.ExperimentId}", experiment.ArtifactLocation);
    }

    [Fact]
    public async Task GetOrCreateExperimentAsync_NameTaken_LooksItUpByName()
    {
        using var client = Client();
        var first = await client.GetOrCreateExperimentAsync("faq-matching", cancellationToken: Ct);

        var second = await client.GetOrCreateExperimentAsync("faq-matching", cancellationToken: Ct);

        Assert.Equal(first, second);
        Assert.Equal(2, _server.RequestsTo("experiments/create").Count);
        Assert.Equal(2, _server.RequestsTo("experiments/get-by-name").Count);
    }

    [Fact]
    public async Task GetOrCreateExperimentAsync_ExperimentDeleted_ThrowsSayingHowToRestore()
    {
        using var client = Client();
        var experiment = await client.GetOrCreateExperimentAsync("faq-matching", cancellationToken: Ct);
        _server.DeleteExperiment("faq-matching");

        var error = await Assert.ThrowsAsync<MLflowException>(() => client.GetOrCreateExperimentAsync("faq-matching", cancellationToken: Ct));

        Assert.Contains("is deleted", error.Message, StringComparison.Ordinal);
        Assert.Contains($"mlflow experiments restore --experiment-id {experiment.ExperimentId}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetExperimentByNameAsync_UnknownName_ReturnsNull()
    {
        using var client = Client();

        var experiment = await client.GetExperimentByNameAsync("nothing-here", Ct);

        Assert.Null(experiment);
    }

    [Fact]
    public async Task CreateRunAsync_ChildRun_SendsParentTagAndStartTime()
    {
        using var client = Client();
        var experiment = await client.GetOrCreateExperimentAsync("faq-matching", cancellationToken: Ct);
        var sweep = await client.CreateRunAsync(experiment.ExperimentId, "sweep-1", cancellationToken: Ct);

        var trial = await client.CreateRunAsync(experiment.ExperimentId, "trial-0", parentRunId: sweep.RunId, cancellationToken: Ct);

        Assert.Equal(sweep.RunId, trial.ParentRunId);
        Assert.Equal("trial-0", trial.RunName);
        Assert.Equal(MLflowRunStatus.Running, trial.Status);
        Assert.Equal(Now, trial.StartTime);
        Assert.Equal(Now.ToUnixTimeMilliseconds(), _server.FindRun(trial.RunId)!.StartTime);
    }

    [Fact]
    public async Task CreateRunAsync_RunNameTagDiffersFromRunName_ThrowsWithoutSending()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<MLflowValidationException>(() =>
            client.CreateRunAsync("0", "trial-0", tags: [new MLflowTag(MLflowClient.RunNameTag, "trial-1")], cancellationToken: Ct));

        Assert.Contains("'trial-0' and tag mlflow.runName 'trial-1' differ", error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task CreateRunAsync_UnknownExperiment_ThrowsResourceDoesNotExistWithoutRetrying()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<MLflowException>(() => client.CreateRunAsync("999", cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(MLflowErrorCodes.ResourceDoesNotExist, error.ErrorCode);
        Assert.False(error.IsTransient);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task LogBatchAsync_2500Metrics_SendsThreeRequestsOf1000_1000_500()
    {
        using var client = Client();
        var run = await NewRunAsync(client);
        var metrics = Enumerable.Range(0, 2500).Select(i => new MLflowMetric("loss", 1.0 / (i + 1), Now, i)).ToList();

        var result = await client.LogBatchAsync(run.RunId, new MLflowBatch { Metrics = metrics }, Ct);

        Assert.Equal(3, result.RequestCount);
        var sizes = _server.RequestsTo("runs/log-batch").Select(r => JsonNode.Parse(r.Body)!["metrics"]!.AsArray().Count);
        Assert.Equal([1000, 1000, 500], sizes);
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => (long)i), _server.FindRun(run.RunId)!.Metrics.Select(m => m.Step));
    }

    [Fact]
    public async Task LogBatchAsync_250Params_SendsThreeRequestsOfAtMost100()
    {
        using var client = Client();
        var run = await NewRunAsync(client);
        var parameters = Enumerable.Range(0, 250).Select(i => new MLflowParam($"p{i}", i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();

        var result = await client.LogBatchAsync(run.RunId, new MLflowBatch { Params = parameters }, Ct);

        Assert.Equal(3, result.RequestCount);
        Assert.Equal(250, _server.FindRun(run.RunId)!.Params.Count);
    }

    [Fact]
    public async Task LogBatchAsync_LongValuesOverOneMegabyte_SplitsEveryRequestBelowIt()
    {
        using var client = Client();
        var run = await NewRunAsync(client);
        var batch = new MLflowBatch
        {
            Params = [.. Enumerable.Range(0, 100).Select(i => new MLflowParam($"p{i}", new string('é', 6000)))],
            Tags = [.. Enumerable.Range(0, 100).Select(i => new MLflowTag($"t{i}", new string('x', 5000)))],
        };

        var result = await client.LogBatchAsync(run.RunId, batch, Ct);

        Assert.True(result.RequestCount >= 2);
        Assert.All(_server.RequestsTo("runs/log-batch"), r => Assert.True(r.BodyBytes < 1_000_000, $"{r.BodyBytes} bytes"));
        Assert.Equal(100, _server.FindRun(run.RunId)!.Params.Count);
        Assert.Equal(0, _server.SilentlyTruncatedValues);
    }

    [Fact]
    public async Task LogBatchAsync_ParamOver6000CharactersWhenRefusing_ThrowsNamingItAndSendsNothing()
    {
        using var client = Client();
        var run = await NewRunAsync(client);

        var error = await Assert.ThrowsAsync<MLflowValidationException>(() =>
            client.LogBatchAsync(run.RunId, new MLflowBatch { Params = [new MLflowParam("prompt", new string('a', 7000))] }, Ct));

        Assert.Equal($"Param 'prompt' of run '{run.RunId}' has 7000 characters; MLflow keeps at most 6000. Shorten it, or set OversizeValues to Truncate.", error.Message);
        Assert.Empty(_server.RequestsTo("runs/log-batch"));
    }

    [Fact]
    public async Task LogBatchAsync_ParamOver6000CharactersWhenTruncating_SendsIt6000LongAndWarns()
    {
        using var client = Client(o => o.OversizeValues = OversizeValuePolicy.Truncate);
        var run = await NewRunAsync(client);

        var result = await client.LogBatchAsync(run.RunId, new MLflowBatch { Params = [new MLflowParam("prompt", new string('a', 7000))] }, Ct);

        var warning = $"Param 'prompt' of run '{run.RunId}' has 7000 characters; MLflow keeps at most 6000, so it was truncated to 6000.";
        Assert.Equal([warning], result.Warnings);
        Assert.Equal([warning], _warnings);
        Assert.Equal(6000, _server.FindRun(run.RunId)!.Params["prompt"].Length);
        Assert.Equal(0, _server.SilentlyTruncatedValues);
    }

    [Fact]
    public async Task LogBatchAsync_TagOver5000CharactersWhenRefusing_ThrowsNamingIt()
    {
        using var client = Client();
        var run = await NewRunAsync(client);

        var error = await Assert.ThrowsAsync<MLflowValidationException>(() =>
            client.LogBatchAsync(run.RunId, new MLflowBatch { Tags = [new MLflowTag("note", new string('a', 5001))] }, Ct));

        Assert.Contains("Tag 'note'", error.Message, StringComparison.Ordinal);
        Assert.Contains("5001 characters; MLflow keeps at most 5000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogBatchAsync_InvalidKeys_ThrowsListingEveryOneAndSendsNothing()
    {
        using var client = Client();
        var run = await NewRunAsync(client);
        var batch = new MLflowBatch
        {
            Metrics = [new MLflowMetric("val/../loss", 1, Now), new MLflowMetric("val/../loss", 2, Now, 1)],
            Params = [new MLflowParam("/lr", "0.1"), new MLflowParam("lr:v2", "0.1")],
            Tags = [new MLflowTag(new string('k', 251), "x")],
        };

        var error = await Assert.ThrowsAsync<MLflowValidationException>(() => client.LogBatchAsync(run.RunId, batch, Ct));

        Assert.Equal(4, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.StartsWith("Metric key 'val/../loss'", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("Param key '/lr'", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("Param key 'lr:v2' has characters", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("251 characters; MLflow allows 250", StringComparison.Ordinal));
        Assert.Empty(_server.RequestsTo("runs/log-batch"));
    }

    [Fact]
    public async Task LogBatchAsync_SameParamTwiceWithSameValue_SendsItOnce()
    {
        using var client = Client();
        var run = await NewRunAsync(client);

        await client.LogBatchAsync(run.RunId, new MLflowBatch { Params = [new MLflowParam("lr", "0.1"), new MLflowParam("lr", "0.1")] }, Ct);

        Assert.Single(JsonNode.Parse(Assert.Single(_server.RequestsTo("runs/log-batch")).Body)!["params"]!.AsArray());
    }

    [Fact]
    public async Task LogBatchAsync_SameParamTwiceWithDifferentValues_Throws()
    {
        using var client = Client();
        var run = await NewRunAsync(client);

        var error = await Assert.ThrowsAsync<MLflowValidationException>(() =>
            client.LogBatchAsync(run.RunId, new MLflowBatch { Params = [new MLflowParam("lr", "0.1"), new MLflowParam("lr", "0.2")] }, Ct));

        Assert.Contains("Param 'lr' is given twice with different values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogBatchAsync_SameTagTwice_SendsTheLastValueOnce()
    {
        using var client = Client();
        var run = await NewRunAsync(client);

        await client.LogBatchAsync(run.RunId, new MLflowBatch { Tags = [new MLflowTag("stage", "a"), new MLflowTag("stage", "b")] }, Ct);

        Assert.Equal("b", _server.FindRun(run.RunId)!.Tags["stage"]);
    }

    [Fact]
    public async Task LogBatchAsync_ParamChangedOnServer_Throws400WithServerMessageAndDoesNotRetry()
    {
        using var client = Client();
        var run = await NewRunAsync(client);
        await client.LogBatchAsync(run.RunId, new MLflowBatch { Params = [new MLflowParam("lr", "0.1")] }, Ct);

        var error = await Assert.ThrowsAsync<MLflowException>(() =>
            client.LogBatchAsync(run.RunId, new MLflowBatch { Params = [new MLflowParam("lr", "0.2")] }, Ct));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(MLflowErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.StartsWith("Changing param values is not allowed.", error.ServerMessage, StringComparison.Ordinal);
        Assert.StartsWith("MLflow answered 400 INVALID_PARAMETER_VALUE to POST runs/log-batch: Changing param values", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, _server.RequestsTo("runs/log-batch").Count);
        Assert.Empty(_time.Delays);
    }

    [Fact]
    public async Task LogBatchAsync_SameParamValueAgain_Succeeds()
    {
        using var client = Client();
        var run = await NewRunAsync(client);
        await client.LogBatchAsync(run.RunId, new MLflowBatch { Params = [new MLflowParam("lr", "0.1")] }, Ct);

        var result = await client.LogBatchAsync(run.RunId, new MLflowBatch { Params = [new MLflowParam("lr", "0.1")] }, Ct);

        Assert.Equal(1, result.RequestCount);
    }

    [Fact]
    public async Task LogBatchAsync_UnknownRun_ThrowsResourceDoesNotExist()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<MLflowException>(() =>
            client.LogBatchAsync("0123456789abcdef", new MLflowBatch { Metrics = [new MLflowMetric("auc", 0.9, Now)] }, Ct));

        Assert.Equal(MLflowErrorCodes.ResourceDoesNotExist, error.ErrorCode);
        Assert.Contains("Run with id=0123456789abcdef not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogBatchAsync_NaNAndInfinities_TravelAsStringsAndComeBack()
    {
        using var client = Client();
        var run = await NewRunAsync(client);
        MLflowMetric[] metrics = [new("loss", double.NaN, Now, 0), new("loss", double.PositiveInfinity, Now, 1), new("loss", double.NegativeInfinity, Now, 2)];

        await client.LogBatchAsync(run.RunId, new MLflowBatch { Metrics = metrics }, Ct);
        var history = await client.GetMetricHistoryAsync(run.RunId, "loss", Ct);

        var sent = JsonNode.Parse(_server.RequestsTo("runs/log-batch")[0].Body)!["metrics"]!.AsArray().Select(m => m!["value"]!.ToJsonString());
        Assert.Equal(["\"NaN\"", "\"Infinity\"", "\"-Infinity\""], sent);
        Assert.Equal(metrics, history);
    }

    [Fact]
    public async Task LogBatchAsync_RequestBody_MatchesSnapshot()
    {
        using var client = Client();
        var run = await NewRunAsync(client);
        var batch = new MLflowBatch
        {
            Metrics = [new MLflowMetric("auc", 0.875, Now, 0), new MLflowMetric("auc", 0.9, Now.AddSeconds(1), 1), new MLflowMetric("loss", double.NaN, Now, 1)],
            Params = [new MLflowParam("LearningRate", "0.01"), new MLflowParam("NGrams", "bigram")],
            Tags = [new MLflowTag("tune.trial", "3"), new MLflowTag("tune.state", "completed")],
        };

        await client.LogBatchAsync(run.RunId, batch, Ct);

        Snapshot.Match(SnapshotJson.Json(Assert.Single(_server.RequestsTo("runs/log-batch")).Body, "run_id"), "LogBatchRequest", "json");
    }

    [Fact]
    public async Task CreateRunAsync_RequestBody_MatchesSnapshot()
    {
        using var client = Client();
        var experiment = await client.GetOrCreateExperimentAsync("faq-matching", cancellationToken: Ct);

        await client.CreateRunAsync(experiment.ExperimentId, "trial-3", parentRunId: "5f0c0ffee", tags: [new MLflowTag("tune.trial", "3")], cancellationToken: Ct);

        Snapshot.Match(SnapshotJson.Json(Assert.Single(_server.RequestsTo("runs/create")).Body, "experiment_id"), "CreateRunRequest", "json");
    }

    [Theory]
    [InlineData(MLflowRunStatus.Finished, "FINISHED")]
    [InlineData(MLflowRunStatus.Failed, "FAILED")]
    [InlineData(MLflowRunStatus.Killed, "KILLED")]
    public async Task UpdateRunAsync_FinalStatus_EndsTheRun(MLflowRunStatus status, string expected)
    {
        using var client = Client();
        var run = await NewRunAsync(client);

        var updated = await client.UpdateRunAsync(run.RunId, status, Now.AddMinutes(5), Ct);

        Assert.Equal(status, updated.Status);
        Assert.Equal(Now.AddMinutes(5), updated.EndTime);
        Assert.Equal(expected, _server.FindRun(run.RunId)!.Status);
    }

    [Theory]
    [InlineData(MLflowRunStatus.Running)]
    [InlineData(MLflowRunStatus.Unknown)]
    [InlineData((MLflowRunStatus)42)]
    public async Task UpdateRunAsync_NotAFinalStatus_ThrowsWithoutSending(MLflowRunStatus status)
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.UpdateRunAsync("abc", status, cancellationToken: Ct));

        Assert.Contains("MLflow silently ignores any other status", error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task SearchRunsAsync_SevenRunsInPagesOfThree_ReturnsEachOnceInThreeRequests()
    {
        using var client = Client();
        var experiment = await client.GetOrCreateExperimentAsync("faq-matching", cancellationToken: Ct);
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await client.CreateRunAsync(experiment.ExperimentId, $"trial-{i}", startTime: Now.AddSeconds(i), cancellationToken: Ct)).RunId);
        }

        var found = await client.SearchRunsAsync(new MLflowRunQuery { ExperimentIds = [experiment.ExperimentId], PageSize = 3, OrderBy = ["attributes.start_time ASC"] }, Ct).ToListAsync(Ct);

        Assert.Equal(created, found.Select(r => r.RunId));
        Assert.Equal(3, _server.RequestsTo("runs/search").Count);
    }

    [Fact]
    public async Task SearchRunsAsync_FilterOnTag_ReturnsOnlyMatchingRuns()
    {
        using var client = Client();
        var experiment = await client.GetOrCreateExperimentAsync("faq-matching", cancellationToken: Ct);
        var wanted = await client.CreateRunAsync(experiment.ExperimentId, tags: [new MLflowTag("tune.trial.id", "s1-3")], cancellationToken: Ct);
        await client.CreateRunAsync(experiment.ExperimentId, tags: [new MLflowTag("tune.trial.id", "s1-4")], cancellationToken: Ct);

        var found = await client.SearchRunsAsync(new MLflowRunQuery { ExperimentIds = [experiment.ExperimentId], Filter = "tags.`tune.trial.id` = 's1-3'" }, Ct).ToListAsync(Ct);

        Assert.Equal(wanted.RunId, Assert.Single(found).RunId);
        Assert.Equal("s1-3", found[0].Tags["tune.trial.id"]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(50_001)]
    public async Task SearchRunsPageAsync_PageSizeOutsideServerLimits_ThrowsWithoutSending(int pageSize)
    {
        using var client = Client();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            client.SearchRunsPageAsync(new MLflowRunQuery { ExperimentIds = ["0"], PageSize = pageSize }, cancellationToken: Ct));

        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task GetMetricHistoryAsync_StepValues_ReturnsEveryStep()
    {
        using var client = Client();
        var run = await NewRunAsync(client);
        var metrics = Enumerable.Range(0, 5).Select(i => new MLflowMetric("auc", 0.5 + (i / 10.0), Now.AddSeconds(i), i)).ToList();
        await client.LogBatchAsync(run.RunId, new MLflowBatch { Metrics = [.. metrics, new MLflowMetric("loss", 1, Now)] }, Ct);

        var history = await client.GetMetricHistoryAsync(run.RunId, "auc", Ct);

        Assert.Equal(metrics, history);
    }

    [Fact]
    public async Task GetRunAsync_AfterLogging_ReturnsParamsTagsAndLatestMetrics()
    {
        using var client = Client();
        var run = await NewRunAsync(client);
        await client.LogBatchAsync(run.RunId, new MLflowBatch { Metrics = [new MLflowMetric("auc", 0.7, Now, 0), new MLflowMetric("auc", 0.8, Now, 1)], Params = [new MLflowParam("lr", "0.1")] }, Ct);

        var fetched = await client.GetRunAsync(run.RunId, Ct);

        Assert.Equal("0.1", fetched.Params["lr"]);
        Assert.Equal(new MLflowMetric("auc", 0.8, Now, 1), Assert.Single(fetched.Metrics));
    }

    [Fact]
    public async Task CreateModelVersionAsync_TwiceForOneModel_CreatesVersions1And2()
    {
        using var client = Client();
        var run = await NewRunAsync(client);
        await client.GetOrCreateRegisteredModelAsync("faq-matching", "FAQ matcher", Ct);
        await client.GetOrCreateRegisteredModelAsync("faq-matching", cancellationToken: Ct);
        var source = MLflowClient.GetArtifactUri(run.ExperimentId, run.RunId, "model");

        var first = await client.CreateModelVersionAsync("faq-matching", source, run.RunId, Ct);
        var second = await client.CreateModelVersionAsync("faq-matching", source, run.RunId, Ct);

        Assert.Equal($"mlflow-artifacts:/{run.ExperimentId}/{run.RunId}/artifacts/model", source);
        Assert.Equal(("1", "2"), (first.Version, second.Version));
        Assert.Equal(run.RunId, first.RunId);
        Assert.Equal(2, _server.ModelVersions.Count);
    }

    [Fact]
    public async Task GetModelVersionAndDownloadArtifact_RegisteredFolder_ReadsTheSourceAndAFileUnderIt()
    {
        using var client = Client();
        var run = await NewRunAsync(client);
        using (var content = new MemoryStream("{\"experiment\":\"faq-matching\"}"u8.ToArray()))
        {
            await client.UploadArtifactAsync(run.ExperimentId, run.RunId, "model/manifest.json", content, Ct);
        }

        await client.GetOrCreateRegisteredModelAsync("faq-matching", cancellationToken: Ct);
        await client.CreateModelVersionAsync("faq-matching", MLflowClient.GetArtifactUri(run.ExperimentId, run.RunId, "model"), run.RunId, Ct);

        var version = await client.GetModelVersionAsync("faq-matching", "1", Ct);
        var manifest = await client.DownloadArtifactAsync(version.Source + "/manifest.json", Ct);

        Assert.Equal(($"mlflow-artifacts:/{run.ExperimentId}/{run.RunId}/artifacts/model", run.RunId), (version.Source, version.RunId));
        Assert.Equal("{\"experiment\":\"faq-matching\"}", System.Text.Encoding.UTF8.GetString(manifest));
    }

    [Fact]
    public async Task GetModelVersionAsync_UnknownVersion_ThrowsResourceDoesNotExist()
    {
        using var client = Client();
        await client.GetOrCreateRegisteredModelAsync("faq-matching", cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<MLflowException>(() => client.GetModelVersionAsync("faq-matching", "9", Ct));

        Assert.Equal(MLflowErrorCodes.ResourceDoesNotExist, error.ErrorCode);
    }

    [Fact]
    public async Task DownloadArtifactAsync_MissingFile_ThrowsMLflowsInternalError()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<MLflowException>(() => client.DownloadArtifactAsync("mlflow-artifacts:/1/abc/artifacts/model/manifest.json", Ct));

        Assert.Equal(MLflowErrorCodes.InternalError, error.ErrorCode);
    }

    [Theory]
    [InlineData("runs:/abc/model/manifest.json")]
    [InlineData("mlflow-artifacts:/1/../secret")]
    public async Task DownloadArtifactAsync_NotAnArtifactProxyPath_ThrowsWithoutSending(string uri)
    {
        using var client = Client();

        await Assert.ThrowsAsync<ArgumentException>(() => client.DownloadArtifactAsync(uri, Ct));

        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task CreateModelVersionAsync_SourceNotAUri_ThrowsWithoutSending()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.CreateModelVersionAsync("faq-matching", "artifacts/model", cancellationToken: Ct));

        Assert.Contains("is not a URI", error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task CreateModelVersionAsync_UnregisteredModel_ThrowsResourceDoesNotExist()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<MLflowException>(() => client.CreateModelVersionAsync("nobody", "mlflow-artifacts:/1/r/artifacts/model", cancellationToken: Ct));

        Assert.Equal(MLflowErrorCodes.ResourceDoesNotExist, error.ErrorCode);
    }

    [Fact]
    public async Task UploadArtifactAsync_File_IsStoredUnderTheRunsArtifacts()
    {
        using var client = Client();
        var run = await NewRunAsync(client);
        using var content = new MemoryStream(Encoding.UTF8.GetBytes("model bytes"));

        await client.UploadArtifactAsync(run.ExperimentId, run.RunId, "model/model.zip", content, Ct);

        Assert.Equal("model bytes", Encoding.UTF8.GetString(_server.FindArtifact($"{run.ExperimentId}/{run.RunId}/artifacts/model/model.zip")!));
        Assert.Equal("PUT", _server.Requests[^1].Method);
    }

    [Fact]
    public async Task UploadArtifactAsync_503ThenUp_SendsTheWholeFileAgain()
    {
        using var client = Client();
        var run = await NewRunAsync(client);
        using var content = new MemoryStream(Encoding.UTF8.GetBytes("model bytes"));
        _server.FailNext(1, HttpStatusCode.ServiceUnavailable);

        await client.UploadArtifactAsync(run.ExperimentId, run.RunId, "model.zip", content, Ct);

        Assert.Equal("model bytes", Encoding.UTF8.GetString(_server.FindArtifact($"{run.ExperimentId}/{run.RunId}/artifacts/model.zip")!));
    }

    [Theory]
    [InlineData("../other-run/model.zip")]
    [InlineData("/etc/passwd")]
    [InlineData("model//model.zip")]
    public async Task UploadArtifactAsync_PathNotRelative_ThrowsWithoutSending(string path)
    {
        using var client = Client();
        using var content = new MemoryStream([1]);

        await Assert.ThrowsAsync<ArgumentException>(() => client.UploadArtifactAsync("1", "run", path, content, Ct));

        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task CallAsync_503TwiceThenUp_RetriesWithDoublingDelaysAndSucceeds()
    {
        using var client = Client();
        _server.FailNext(2, HttpStatusCode.ServiceUnavailable);

        var experiment = await client.GetOrCreateExperimentAsync("faq-matching", cancellationToken: Ct);

        Assert.Equal("faq-matching", experiment.Name);
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)], _time.Delays);
        Assert.Equal(3, _server.Requests.Count(r => r.Path.EndsWith("experiments/create", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CallAsync_429WithRetryAfter_WaitsWhatTheServerAsks()
    {
        using var client = Client();
        _server.FailNext(1, HttpStatusCode.TooManyRequests, retryAfter: TimeSpan.FromSeconds(1));

        await client.GetExperimentByNameAsync("faq-matching", Ct);

        Assert.Equal([TimeSpan.FromSeconds(1)], _time.Delays);
    }

    [Fact]
    public async Task CallAsync_503OnEveryAttempt_ThrowsTransientAfterMaxRetries()
    {
        using var client = Client();
        _server.FailNext(10, HttpStatusCode.ServiceUnavailable);

        var error = await Assert.ThrowsAsync<MLflowException>(() => client.GetExperimentByNameAsync("faq-matching", Ct));

        Assert.True(error.IsTransient);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(4, _server.Requests.Count);
        Assert.Equal([100, 200, 400], _time.Delays.Select(d => d.TotalMilliseconds));
    }

    [Fact]
    public async Task CallAsync_ServerDown_ThrowsTransientUnavailableAfterMaxRetries()
    {
        using var client = Client();
        _server.GoDown();

        var error = await Assert.ThrowsAsync<MLflowException>(() => client.GetExperimentByNameAsync("faq-matching", Ct));

        Assert.True(error.IsTransient);
        Assert.Null(error.StatusCode);
        Assert.Equal(MLflowErrorCodes.Unavailable, error.ErrorCode);
        Assert.Contains("could not be reached for GET experiments/get-by-name after 4 attempt(s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateRunAsync_AnswerLost_ThrowsTransientWithoutCreatingASecondRun()
    {
        using var client = Client();
        var experiment = await client.GetOrCreateExperimentAsync("faq-matching", cancellationToken: Ct);
        _server.LoseNextAnswers("runs/create", 1);

        var error = await Assert.ThrowsAsync<MLflowException>(() => client.CreateRunAsync(experiment.ExperimentId, "trial-0", cancellationToken: Ct));

        Assert.True(error.IsTransient);
        Assert.Single(_server.Runs);
        Assert.Empty(_time.Delays);
    }

    [Fact]
    public async Task CreateRunAsync_503_ThrowsTransientWithoutSendingAgain()
    {
        using var client = Client();
        _server.FailNext(1, HttpStatusCode.ServiceUnavailable);

        var error = await Assert.ThrowsAsync<MLflowException>(() => client.CreateRunAsync("0", "trial-0", cancellationToken: Ct));

        Assert.True(error.IsTransient);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task CreateRunAsync_ConnectionRefusedThenUp_RetriesBecauseNothingWasReceived()
    {
        using var client = Client();
        GoDownUntilFirstBackoff();

        var run = await client.CreateRunAsync("0", "trial-0", cancellationToken: Ct);

        Assert.Equal(run.RunId, Assert.Single(_server.Runs).Id);
        Assert.Single(_time.Delays);
    }

    [Fact]
    public async Task LogBatchAsync_AnswerWithoutBody_ThrowsTransientRatherThanReportDelivery()
    {
        using var http = new HttpClient(new EmptyAnswerHandler());
        using var client = new MLflowClient(http, new MLflowClientOptions { TrackingUri = _server.Uri, MaxRetries = 0 }, _time);

        var error = await Assert.ThrowsAsync<MLflowException>(() => client.LogBatchAsync("run-1", new MLflowBatch { Metrics = [new MLflowMetric("auc", 0.5, Now)] }, Ct));

        Assert.True(error.IsTransient);
        Assert.Contains("answered POST runs/log-batch with 200 and no body", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallAsync_ServerComesBackDuringBackoff_Succeeds()
    {
        using var client = Client();
        GoDownUntilFirstBackoff();

        var experiment = await client.GetOrCreateExperimentAsync("faq-matching", cancellationToken: Ct);

        Assert.Equal("faq-matching", experiment.Name);
        Assert.Single(_time.Delays);
    }

    [Fact]
    public async Task LogBatchAsync_ServerDownBetweenBatchesOfAKeptAliveClient_DeliversEachValueOnce()
    {
        using var client = Client();
        var run = await NewRunAsync(client);
        await client.LogBatchAsync(run.RunId, new MLflowBatch { Metrics = [new MLflowMetric("auc", 0.5, Now, 0)] }, Ct);
        GoDownUntilFirstBackoff();

        await client.LogBatchAsync(run.RunId, new MLflowBatch { Metrics = [new MLflowMetric("auc", 0.6, Now, 1)] }, Ct);

        Assert.Single(_time.Delays);
        Assert.Equal([0.5, 0.6], _server.FindRun(run.RunId)!.Metrics.Select(m => m.Value));
        Assert.Equal(0, _server.IgnoredDuplicateMetrics);
    }

    [Fact]
    public async Task CallAsync_UrlIsNotAnMLflowServer_ReportsHtml404AsEndpointNotFound()
    {
        using var client = Client(o => o.TrackingUri = new Uri(_server.Uri, "not-mlflow/"));

        var error = await Assert.ThrowsAsync<MLflowException>(() => client.CreateRunAsync("0", cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(MLflowErrorCodes.EndpointNotFound, error.ErrorCode);
        Assert.Contains("answered 404 (text/html, not MLflow JSON) to POST runs/create", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task CallAsync_Html405_ReportsEndpointNotFoundWithoutRetrying()
    {
        using var client = Client();
        _server.FailNext(1, HttpStatusCode.MethodNotAllowed);

        var error = await Assert.ThrowsAsync<MLflowException>(() => client.GetRunAsync("abc", Ct));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, error.StatusCode);
        Assert.Equal(MLflowErrorCodes.EndpointNotFound, error.ErrorCode);
        Assert.Contains("answered 405 (text/html, not MLflow JSON) to GET runs/get: the server does not allow this method", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task CallAsync_CallerCancels_StopsRetrying()
    {
        using var client = Client();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        _server.FailNext(10, HttpStatusCode.ServiceUnavailable);
        _time.OnDelay = cancellation.Cancel;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetRunAsync("abc", cancellation.Token));

        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task CallAsync_BasicAuth_SendsCredentialsButNeverShowsThem()
    {
        using var client = Client(o => (o.Username, o.Password) = ("alice", "s3cret-pass"));
        await client.GetOrCreateExperimentAsync("faq-matching", cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<MLflowException>(() => client.CreateRunAsync("999", cancellationToken: Ct));
        _server.GoDown();
        var outage = await Assert.ThrowsAsync<MLflowException>(() => client.GetRunAsync("abc", Ct));

        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cret-pass")), _server.Requests[0].Authorization);
        foreach (var text in new[] { error.ToString(), outage.ToString(), client.ToString() })
        {
            Assert.DoesNotContain("s3cret-pass", text, StringComparison.Ordinal);
            Assert.DoesNotContain("alice", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CallAsync_Token_SendsBearerButNeverShowsIt()
    {
        using var client = Client(o => o.Token = "tok-123456");

        var error = await Assert.ThrowsAsync<MLflowException>(() => client.GetRunAsync("abc", Ct));

        Assert.Equal("Bearer tok-123456", _server.Requests[0].Authorization);
        Assert.DoesNotContain("tok-123456", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("tok-123456", client.ToString(), StringComparison.Ordinal);
        Assert.Contains("bearer token", client.ToString(), StringComparison.Ordinal);
    }

    private MLflowClient Client(Action<MLflowClientOptions>? configure = null)
    {
        var options = new MLflowClientOptions
        {
            TrackingUri = _server.Uri,
            MaxRetries = 3,
            RetryDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryDelay = TimeSpan.FromSeconds(2),
            Warning = _warnings.Add,
        };
        configure?.Invoke(options);
        return new MLflowClient(options, _time);
    }

    /// <summary>Takes the server down and brings it back when the client first backs off.</summary>
    private void GoDownUntilFirstBackoff()
    {
        _server.GoDown();
        _time.OnDelay = () =>
        {
            _time.OnDelay = null;
            _server.ComeBack();
        };
    }

    private static async Task<MLflowRun> NewRunAsync(MLflowClient client)
    {
        var experiment = await client.GetOrCreateExperimentAsync("faq-matching", cancellationToken: Ct);
        return await client.CreateRunAsync(experiment.ExperimentId, "trial-0", cancellationToken: Ct);
    }

    /// <summary>Answers 200 with no body, as a connection closed before the server wrote its answer reads.</summary>
    private sealed class EmptyAnswerHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) });
    }
}
