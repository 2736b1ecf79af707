using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using Tune.Pipeline.Publishing.Azure.Tests;
using Tune.Pipeline.Testing.MLflow;
using Tune.Pipeline.Tracking.MLflow;

namespace Tune.Pipeline.Cli.Tests.Gate;

/// <summary>
/// `tune gate --baseline` from where CI keeps the default branch's model: a folder uploaded to Azure Blob Storage by
/// `tune publish` (real Azurite: TUNE_TEST_AZURITE, skipped locally when unreachable, failing on CI), and an MLflow
/// registered model version. MLflow cannot run here (no PyPI): its registry and artifact proxy are FakeMLflowServer,
/// a TEST DOUBLE that answers as ../shared/MLFLOW.md documents a real server (model-versions/get 404
/// RESOURCE_DOES_NOT_EXIST, a missing artifact 500 INTERNAL_ERROR).
/// </summary>
public sealed class GateRemoteBaselineTests(PublishedModels models) : IClassFixture<PublishedModels>, IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tune-gate-remote-").FullName;
    private readonly FakeMLflowServer _mlflow = FakeMLflowServer.Start();

    public async ValueTask DisposeAsync()
    {
        await _mlflow.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Gate_BaselinePublishedToAzureBlob_DownloadsItAndFailsTheDegradedCandidate()
    {
        var (container, environment) = NewContainer();
        var (published, uploaded, publishError) = await TuneChildProcess.RunAsync(_directory, environment, "publish", models.Good, "--azure-container", container.Name, "--azure-prefix", "main/quadratic");
        Assert.True(published == 0, publishError);

        var (code, output, error) = await TuneChildProcess.RunAsync(_directory, environment, "gate", models.Degraded, "--baseline", $"{container.Uri}/main/quadratic");

        Assert.StartsWith($"Uploaded ", uploaded, StringComparison.Ordinal);
        Assert.Contains($"{container.Uri}/main/quadratic", uploaded, StringComparison.Ordinal);
        Assert.True(code == 1, error);
        Assert.StartsWith("## Tune gate: QuadraticExperiment failed: regression", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_AzureBaselineWithASasToken_NeedsNoVariableAndNeverShowsTheToken()
    {
        var (container, environment) = NewContainer();
        Assert.Equal(0, (await TuneChildProcess.RunAsync(_directory, environment, "publish", models.Good, "--azure-container", container.Name)).Code);
        var sas = container.GenerateSasUri(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List, TimeProvider.System.GetUtcNow().AddHours(1));
        var url = new BlobUriBuilder(sas) { BlobName = "QuadraticExperiment" }.ToUri();

        var (code, output, error) = await TuneChildProcess.RunAsync(_directory, new Dictionary<string, string>(), "gate", models.Good, "--baseline", url.ToString());

        Assert.True(code == 0, error);
        Assert.StartsWith("## Tune gate: QuadraticExperiment passed", output, StringComparison.Ordinal);
        Assert.Contains($"| folder | `{container.Uri}/QuadraticExperiment` |", output, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_AzureBaselineWithNothingUnderThePrefix_ExitsThreeNamingIt()
    {
        var (container, environment) = NewContainer();
        await container.CreateAsync(cancellationToken: TestContext.Current.CancellationToken);

        var (code, output, error) = await TuneChildProcess.RunAsync(_directory, environment, "gate", models.Good, "--baseline", $"{container.Uri}/never-published");

        Assert.Equal(3, code);
        Assert.Empty(output);
        Assert.Contains("No blob lies under 'never-published/'", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Gate_AzureBaselineUnreachable_ExitsThreeWithoutTheKey()
    {
        // Nothing listens on port 9 of 127.0.0.1 here: the SDK's retries run out and the gate says so.
        var connection = $"DefaultEndpointsProtocol=http;AccountName={Azurite.AccountName};AccountKey={Azurite.AccountKey};BlobEndpoint=http://127.0.0.1:9/{Azurite.AccountName};";
        var environment = new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = connection };

        var (code, _, error) = await TuneChildProcess.RunAsync(_directory, environment, "gate", models.Good, "--baseline", $"http://127.0.0.1:9/{Azurite.AccountName}/models/quadratic");

        Assert.Equal(3, code);
        Assert.Contains("could not be read from Azure Blob Storage", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Azurite.AccountKey, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_AzureBaselineOfAnotherAccountThanTheConnectionString_ExitsTwoNamingBoth()
    {
        var environment = new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = Azurite.ConnectionString };

        var (code, _, error) = await TuneChildProcess.RunAsync(_directory, environment, "gate", models.Good, "--baseline", "https://other.blob.core.windows.net/models/quadratic");

        Assert.Equal(2, code);
        Assert.Contains("but the URL names https://other.blob.core.windows.net/", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_BaselineRegisteredInMLflow_ReadsTheVersionsManifest()
    {
        var version = await RegisterAsync(models.Good);

        var (code, output, error) = await TuneChildProcess.RunAsync(_directory, MLflowEnvironment(), "gate", models.Degraded, "--baseline", $"models:/quadratic/{version}");

        Assert.True(code == 1, error);
        Assert.StartsWith("## Tune gate: QuadraticExperiment failed: regression", output, StringComparison.Ordinal);
        Assert.Contains($"| folder | `models:/quadratic/{version}` |", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_MLflowVersionThatDoesNotExist_ExitsThreeNamingIt()
    {
        await RegisterAsync(models.Good);

        var (code, _, error) = await TuneChildProcess.RunAsync(_directory, MLflowEnvironment(), "gate", models.Good, "--baseline", "models:/quadratic/7");

        Assert.Equal(3, code);
        Assert.Contains("has no model 'quadratic' version 7", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_MLflowUnreachable_ExitsThree()
    {
        _mlflow.GoDown();

        var (code, _, error) = await TuneChildProcess.RunAsync(_directory, MLflowEnvironment(), "gate", models.Good, "--baseline", "models:/quadratic/1");

        Assert.Equal(3, code);
        Assert.Contains("could not be reached", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("models:/quadratic", "is not an MLflow model version: write models:/NAME/VERSION")]
    [InlineData("models:/quadratic@champion", "is not an MLflow model version: write models:/NAME/VERSION")]
    public async Task Gate_MalformedModelVersion_ExitsTwo(string baseline, string message)
    {
        var (code, _, error) = await TuneChildProcess.RunAsync(_directory, MLflowEnvironment(), "gate", models.Good, "--baseline", baseline);

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("runs:/0123/model")]
    [InlineData("s3://bucket/models/quadratic")]
    public async Task Gate_BaselineOfAnotherScheme_ExitsTwoSayingWhatIsRead(string baseline)
    {
        var (code, _, error) = await TuneChildProcess.RunAsync(_directory, new Dictionary<string, string>(), "gate", models.Good, "--baseline", baseline);

        Assert.Equal(2, code);
        Assert.Contains("URI, which the gate does not read", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_MLflowBaselineWithoutATrackingServer_ExitsTwoNamingTheVariable()
    {
        var (code, _, error) = await TuneChildProcess.RunAsync(_directory, new Dictionary<string, string>(), "gate", models.Good, "--baseline", "models:/quadratic/1");

        Assert.Equal(2, code);
        Assert.Contains("set MLFLOW_TRACKING_URI", error, StringComparison.Ordinal);
    }

    private Dictionary<string, string> MLflowEnvironment() => new() { ["MLFLOW_TRACKING_URI"] = _mlflow.Uri.ToString() };

    private static (BlobContainerClient Container, Dictionary<string, string> Environment) NewContainer() =>
        (Azurite.NewContainer(out _), new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = Azurite.ConnectionString });

    // What tune's MLflow tracking does on --register-model (MLflowSweepTracker.RegisterModelAsync): the published folder
    // under the sweep run's model/ artifacts, then a version whose source is that folder.
    private async Task<string> RegisterAsync(string publishedFolder)
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = new MLflowClient(new MLflowClientOptions { TrackingUri = _mlflow.Uri });
        var experiment = await client.GetOrCreateExperimentAsync("QuadraticExperiment", cancellationToken: ct);
        var run = await client.CreateRunAsync(experiment.ExperimentId, "main", cancellationToken: ct);
        foreach (var file in Directory.EnumerateFiles(publishedFolder))
        {
            await using var content = File.OpenRead(file);
            await client.UploadArtifactAsync(experiment.ExperimentId, run.RunId, "model/" + Path.GetFileName(file), content, ct);
        }

        await client.GetOrCreateRegisteredModelAsync("quadratic", cancellationToken: ct);
        var version = await client.CreateModelVersionAsync("quadratic", MLflowClient.GetArtifactUri(experiment.ExperimentId, run.RunId, "model"), run.RunId, ct);
        return version.Version;
    }
}
