using Azure.Core;
using Azure.Identity;

namespace Tune.Pipeline.Publishing.Azure.Tests;

public sealed class AzureBlobPublishOptionsTests
{
    private const string Key = "c2VjcmV0LWtleS10aGF0LW11c3QtbmV2ZXItbGVhaw==";

    [Fact]
    public void Validate_NoCredentials_AsksForOne()
    {
        var problems = new AzureBlobPublishOptions { Container = "models" }.Validate();

        Assert.Contains(problems, p => p.Contains("Set ConnectionString, SasUri, or ServiceUri", StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_TwoWaysToAuthenticate_ThrowsListingEveryProblem()
    {
        var options = new AzureBlobPublishOptions { ConnectionString = "AccountName=a;AccountKey=" + Key, SasUri = new Uri("https://a.blob.core.windows.net/models"), MaxRetries = -1 };

        var error = Assert.Throws<ArgumentException>(() => new AzureBlobPublisher(options));

        Assert.Contains("Set only one of ConnectionString, SasUri and ServiceUri", error.Message, StringComparison.Ordinal);
        Assert.Contains("carries no SAS token", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxRetries is -1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ServiceUriAlone_UsesDefaultAzureCredential()
    {
        var options = new AzureBlobPublishOptions { ServiceUri = new Uri("https://account.blob.core.windows.net"), Container = "models" };

        _ = new AzureBlobPublisher(options);

        Assert.Empty(options.Validate());
        Assert.Contains("DefaultAzureCredential", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_SecretsSet_LeavesThemOut()
    {
        var withKey = new AzureBlobPublishOptions { ConnectionString = "AccountName=a;AccountKey=" + Key, Container = "models" };
        var withSas = new AzureBlobPublishOptions { SasUri = new Uri("https://a.blob.core.windows.net/models?sv=2024-01-01&sp=cw&sig=c2VjcmV0" ) };

        Assert.DoesNotContain(Key, withKey.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", withSas.ToString(), StringComparison.Ordinal);
        Assert.Contains("https://a.blob.core.windows.net/models", withSas.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadDirectoryAsync_MalformedConnectionString_ThrowsWithoutQuotingIt()
    {
        var folder = Directory.CreateTempSubdirectory("tune-azure-").FullName;
        try
        {
            var connectionString = "AccountKey=" + Key + ";this is not a connection string";
            var publisher = new AzureBlobPublisher(new AzureBlobPublishOptions { ConnectionString = connectionString, Container = "models" });

            var error = await Assert.ThrowsAsync<AzureBlobPublishException>(() => publisher.UploadDirectoryAsync(folder, TestContext.Current.CancellationToken));

            Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task UploadDirectoryAsync_FailingCredential_ThrowsNamingContainer()
    {
        var folder = Directory.CreateTempSubdirectory("tune-azure-").FullName;
        File.WriteAllText(Path.Combine(folder, "model.zip"), "x");
        try
        {
            // A credential that fails at once stands in for DefaultAzureCredential on a machine with no identity.
            var credential = new FailingCredential();
            var publisher = new AzureBlobPublisher(new AzureBlobPublishOptions { ServiceUri = new Uri("https://account.blob.core.windows.net"), Credential = credential, Container = "models", MaxRetries = 0 });

            var error = await Assert.ThrowsAsync<AzureBlobPublishException>(() => publisher.UploadDirectoryAsync(folder, TestContext.Current.CancellationToken));

            Assert.Contains("Authenticating to container 'models'", error.Message, StringComparison.Ordinal);
            Assert.Contains("no managed identity endpoint", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class FailingCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new AuthenticationFailedException("DefaultAzureCredential failed to retrieve a token: no managed identity endpoint.");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new AuthenticationFailedException("DefaultAzureCredential failed to retrieve a token: no managed identity endpoint.");
    }
}
