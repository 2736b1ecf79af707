using Tune.Pipeline.Cli.Tests.Gate;
using Tune.Pipeline.Publishing.Azure.Tests;

namespace Tune.Pipeline.Cli.Tests.Publishing;

/// <summary>`tune publish` on real published folders; the upload itself is tested against Azurite in GateRemoteBaselineTests and CakeTargetsTests.</summary>
public sealed class PublishCommandTests(PublishedModels models) : IClassFixture<PublishedModels>
{
    [Fact]
    public async Task Publish_WithoutCredentials_ExitsTwoNamingTheVariable()
    {
        var (code, output, error) = await TuneChildProcess.RunAsync(models.Directory, new Dictionary<string, string>(), "publish", models.Good, "--azure-container", "models");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("AZURE_STORAGE_CONNECTION_STRING", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Publish_ServiceUnreachable_ExitsThreeWithoutTheKey()
    {
        // Nothing listens on port 9 of 127.0.0.1: the SDK's retries run out and the upload fails.
        var connection = $"DefaultEndpointsProtocol=http;AccountName={Azurite.AccountName};AccountKey={Azurite.AccountKey};BlobEndpoint=http://127.0.0.1:9/{Azurite.AccountName};";

        var (code, _, error) = await TuneChildProcess.RunAsync(models.Directory, new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = connection }, "publish", models.Good, "--azure-container", "models");

        Assert.Equal(3, code);
        Assert.Contains("could not be reached", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Azurite.AccountKey, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_FolderWithoutAManifest_ExitsTwo()
    {
        var (code, _, error) = await TuneChildProcess.RunAsync(models.Directory, new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = Azurite.ConnectionString }, "publish", models.Directory, "--azure-container", "models");

        Assert.Equal(2, code);
        Assert.Contains("is not a published folder", error, StringComparison.Ordinal);
    }
}
