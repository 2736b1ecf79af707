using Tune.Pipeline.Testing.MLflow;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Tune.Pipeline.Tracking.MLflow.Tests.TestDoubles;

/// <summary>
/// Checks that the test double itself behaves as MLFLOW.md says a real server does, with raw HTTP and no client, so
/// that the client tests prove something.
/// </summary>
public sealed class FakeMLflowServerTests : IAsyncDisposable
{
    private readonly FakeMLflowServer _server = FakeMLflowServer.Start();
    private readonly HttpClient _http = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Post_WithoutJsonContentType_Answers400BadRequest()
    {
        using var content = new StringContent("""{"name":"x"}""", Encoding.UTF8, "text/plain");

        using var response = await _http.PostAsync(Api("experiments/create"), content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BAD_REQUEST", (await JsonAsync(response))["error_code"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownRoute_AnswersHtml404()
    {
        using var response = await PostAsync("runs/frobnicate", "{}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task RunsSearchWithGet_AnswersHtml405()
    {
        using var response = await _http.GetAsync(Api("runs/search"), Ct);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task ExperimentsCreate_TakenName_AnswersResourceAlreadyExists()
    {
        (await PostAsync("experiments/create", """{"name":"e"}""")).Dispose();

        using var response = await PostAsync("experiments/create", """{"name":"e"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("RESOURCE_ALREADY_EXISTS", (await JsonAsync(response))["error_code"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExperimentsGetByName_UnknownName_Answers404ResourceDoesNotExist()
    {
        using var response = await _http.GetAsync(Api("experiments/get-by-name?experiment_name=nope"), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", (await JsonAsync(response))["error_code"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunsCreate_WithoutStartTime_StoresZero()
    {
        using var response = await PostAsync("runs/create", """{"experiment_id":"0"}""");

        var info = (await JsonAsync(response))["run"]!["info"]!;
        Assert.Equal(0, info["start_time"]!.GetValue<long>());
    }

    [Fact]
    public async Task RunsCreate_RunNameAndDifferentRunNameTag_Answers400()
    {
        using var response = await PostAsync("runs/create", """{"experiment_id":"0","start_time":1,"run_name":"a","tags":[{"key":"mlflow.runName","value":"b"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task RunsUpdate_UnknownStatus_AnswersOkAndIgnoresIt()
    {
        var runId = await CreateRunAsync();

        using var response = await PostAsync("runs/update", $$"""{"run_id":"{{runId}}","status":"DONE","end_time":5}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("RUNNING", _server.FindRun(runId)!.Status);
    }

    [Fact]
    public async Task LogBatch_UnknownRun_Answers404ResourceDoesNotExist()
    {
        using var response = await PostAsync("runs/log-batch", """{"run_id":"nope","metrics":[]}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", (await JsonAsync(response))["error_code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(1001, 0, 0)]
    [InlineData(0, 101, 0)]
    [InlineData(0, 0, 101)]
    [InlineData(901, 100, 0)]
    public async Task LogBatch_OverTheLimits_Answers400(int metrics, int parameters, int tags)
    {
        var runId = await CreateRunAsync();
        var body = new JsonObject
        {
            ["run_id"] = runId,
            ["metrics"] = new JsonArray([.. Enumerable.Range(0, metrics).Select(i => (JsonNode)new JsonObject { ["key"] = "m", ["value"] = i, ["timestamp"] = 1, ["step"] = i })]),
            ["params"] = new JsonArray([.. Enumerable.Range(0, parameters).Select(i => (JsonNode)new JsonObject { ["key"] = $"p{i}", ["value"] = "v" })]),
            ["tags"] = new JsonArray([.. Enumerable.Range(0, tags).Select(i => (JsonNode)new JsonObject { ["key"] = $"t{i}", ["value"] = "v" })]),
        };

        using var response = await PostAsync("runs/log-batch", body.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_server.FindRun(runId)!.Metrics);
    }

    [Fact]
    public async Task LogBatch_BodyOfOneMegabyte_Answers400()
    {
        var runId = await CreateRunAsync();
        var tags = new JsonArray([.. Enumerable.Range(0, 100).Select(i => (JsonNode)new JsonObject { ["key"] = $"t{i}", ["value"] = new string('x', 4990) })]);
        var parameters = new JsonArray([.. Enumerable.Range(0, 100).Select(i => (JsonNode)new JsonObject { ["key"] = $"p{i}", ["value"] = new string('x', 5990) })]);

        using var response = await PostAsync("runs/log-batch", new JsonObject { ["run_id"] = runId, ["params"] = parameters, ["tags"] = tags }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("params")]
    [InlineData("tags")]
    public async Task LogBatch_DuplicateKeys_Answers400(string kind)
    {
        var runId = await CreateRunAsync();

        using var response = await PostAsync("runs/log-batch", $$"""{"run_id":"{{runId}}","{{kind}}":[{"key":"k","value":"1"},{"key":"k","value":"1"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("0.1", HttpStatusCode.OK)]
    [InlineData("0.2", HttpStatusCode.BadRequest)]
    public async Task LogBatch_ParamLoggedAgain_AcceptsSameValueRefusesChange(string value, HttpStatusCode expected)
    {
        var runId = await CreateRunAsync();
        (await PostAsync("runs/log-batch", $$"""{"run_id":"{{runId}}","params":[{"key":"lr","value":"0.1"}]}""")).Dispose();

        using var response = await PostAsync("runs/log-batch", $$"""{"run_id":"{{runId}}","params":[{"key":"lr","value":"{{value}}"}]}""");

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("a/../b")]
    [InlineData("/abs")]
    [InlineData("semi;colon")]
    public async Task LogBatch_InvalidKey_Answers400(string key)
    {
        var runId = await CreateRunAsync();

        using var response = await PostAsync("runs/log-batch", $$"""{"run_id":"{{runId}}","metrics":[{"key":"{{key}}","value":1,"timestamp":1,"step":0}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task LogBatch_ParamOver6000Characters_IsSilentlyTruncatedAsMLflowDoes()
    {
        var runId = await CreateRunAsync();

        using var response = await PostAsync("runs/log-batch", $$"""{"run_id":"{{runId}}","params":[{"key":"long","value":"{{new string('x', 6001)}}"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(6000, _server.FindRun(runId)!.Params["long"].Length);
        Assert.Equal(1, _server.SilentlyTruncatedValues);
    }

    [Fact]
    public async Task LogBatch_IdenticalMetricAgain_IsStoredOnceAsMLflowsSqlStoreDoes()
    {
        var runId = await CreateRunAsync();
        var body = $$"""{"run_id":"{{runId}}","metrics":[{"key":"auc","value":"NaN","timestamp":7,"step":1}]}""";
        (await PostAsync("runs/log-batch", body)).Dispose();

        using var response = await PostAsync("runs/log-batch", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_server.FindRun(runId)!.Metrics);
        Assert.Equal(1, _server.IgnoredDuplicateMetrics);
    }

    [Fact]
    public async Task RunsSearch_MaxResultsOver50000_Answers400()
    {
        using var response = await PostAsync("runs/search", """{"experiment_ids":["0"],"max_results":50001}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ModelVersionsCreate_SourceWithoutScheme_Answers400()
    {
        (await PostAsync("registered-models/create", """{"name":"m"}""")).Dispose();

        using var response = await PostAsync("model-versions/create", """{"name":"m","source":"model/dir"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Artifacts_MissingFile_Answers500()
    {
        using var response = await _http.GetAsync(new Uri(_server.Uri, "api/2.0/mlflow-artifacts/artifacts/0/r/artifacts/none"), Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task GoDown_ThenComeBack_RefusesThenAnswersWithDataKept()
    {
        var runId = await CreateRunAsync();

        _server.GoDown();
        await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetAsync(Api($"runs/get?run_id={runId}"), Ct));
        _server.ComeBack();
        using var response = await _http.GetAsync(Api($"runs/get?run_id={runId}"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Uri Api(string route) => new(_server.Uri, "api/2.0/mlflow/" + route);

    private async Task<HttpResponseMessage> PostAsync(string route, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await _http.PostAsync(Api(route), content, Ct);
    }

    private async Task<string> CreateRunAsync()
    {
        using var response = await PostAsync("runs/create", """{"experiment_id":"0","start_time":1}""");
        return (await JsonAsync(response))["run"]!["info"]!["run_id"]!.GetValue<string>();
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
}
