using Azure.Storage.Blobs;

namespace Tune.Pipeline.Publishing.Azure.Tests;

/// <summary>Reading a published folder back from Azurite: <see cref="AzureBlobPublisher.DownloadDirectoryAsync"/> and <see cref="AzureBlobPublishOptions.ForFolderUrl"/>.</summary>
public sealed class AzureBlobDownloadTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tune-azure-download-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task DownloadDirectoryAsync_PrefixIsAFolder_ReadsItsFilesAndNotASiblingWithTheSameStart()
    {
        var ct = TestContext.Current.CancellationToken;
        var container = Azurite.NewContainer(out var name);
        await container.CreateAsync(cancellationToken: ct);
        await container.UploadBlobAsync("models/breast-cancer/manifest.json", BinaryData.FromString("{}"), ct);
        await container.UploadBlobAsync("models/breast-cancer/plots/roc.svg", BinaryData.FromString("<svg/>"), ct);
        await container.UploadBlobAsync("models/breast-cancer-old/manifest.json", BinaryData.FromString("old"), ct);
        var storage = new AzureBlobPublisher(new AzureBlobPublishOptions { ConnectionString = Azurite.ConnectionString, Container = name, Prefix = "models/breast-cancer", CreateContainer = false });

        var download = await storage.DownloadDirectoryAsync(Path.Combine(_root, "baseline"), ct);

        Assert.Equal(["models/breast-cancer/manifest.json", "models/breast-cancer/plots/roc.svg"], download.BlobNames);
        Assert.Equal("{}", await File.ReadAllTextAsync(Path.Combine(_root, "baseline", "manifest.json"), ct));
        Assert.Equal("<svg/>", await File.ReadAllTextAsync(Path.Combine(_root, "baseline", "plots", "roc.svg"), ct));
    }

    [Fact]
    public async Task DownloadDirectoryAsync_NothingUnderThePrefix_ThrowsNamingIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var container = Azurite.NewContainer(out var name);
        await container.CreateAsync(cancellationToken: ct);
        var storage = new AzureBlobPublisher(new AzureBlobPublishOptions { ConnectionString = Azurite.ConnectionString, Container = name, Prefix = "absent" });

        var exception = await Assert.ThrowsAsync<AzureBlobPublishException>(() => storage.DownloadDirectoryAsync(_root, ct));

        Assert.StartsWith("No blob lies under 'absent/'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DownloadDirectoryAsync_ContainerThatDoesNotExist_ThrowsWith404AndTheHint()
    {
        Azurite.NewContainer(out var name);
        var storage = new AzureBlobPublisher(new AzureBlobPublishOptions { ConnectionString = Azurite.ConnectionString, Container = name, Prefix = "models" });

        var exception = await Assert.ThrowsAsync<AzureBlobPublishException>(() => storage.DownloadDirectoryAsync(_root, TestContext.Current.CancellationToken));

        Assert.Equal(404, exception.Status);
        Assert.Contains("Check the container's name in the URL.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForFolderUrl_UrlWithASasToken_UsesItAsTheContainersSasUrlAndReadsThePrefix()
    {
        var url = new Uri("https://account.blob.core.windows.net/models/breast-cancer/main/?sv=2024-01-01&sig=SECRET");

        var options = AzureBlobPublishOptions.ForFolderUrl(url, AzureBlobPublishOptions.DefaultCredentialVariable, _ => null);

        Assert.Equal("breast-cancer/main", options.Prefix);
        Assert.Equal("https://account.blob.core.windows.net/models?sv=2024-01-01&sig=SECRET", options.SasUri!.ToString());
        Assert.Null(options.ConnectionString);
    }

    [Fact]
    public void ForFolderUrl_NoVariable_UsesTheUrlsAccountWithDefaultAzureCredential()
    {
        var options = AzureBlobPublishOptions.ForFolderUrl(new Uri("https://account.blob.core.windows.net/models/breast-cancer"), AzureBlobPublishOptions.DefaultCredentialVariable, _ => null);

        Assert.Equal(new Uri("https://account.blob.core.windows.net/"), options.ServiceUri);
        Assert.Equal("models", options.Container);
        Assert.Equal("breast-cancer", options.Prefix);
    }

    [Fact]
    public void ForFolderUrl_ConnectionStringOfAnotherAccount_ThrowsNamingBothWithoutTheKey()
    {
        var exception = Assert.Throws<ArgumentException>(() => AzureBlobPublishOptions.ForFolderUrl(
            new Uri("https://other.blob.core.windows.net/models/breast-cancer"), "STORAGE", _ => Azurite.ConnectionString));

        Assert.Contains("The connection string in STORAGE is for http://127.0.0.1:", exception.Message, StringComparison.Ordinal);
        Assert.Contains("but the URL names https://other.blob.core.windows.net/", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Azurite.AccountKey, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForFolderUrl_UrlWithoutAContainer_ThrowsSayingWhatToWrite()
    {
        var exception = Assert.Throws<ArgumentException>(() => AzureBlobPublishOptions.ForFolderUrl(new Uri("https://account.blob.core.windows.net/"), "STORAGE", _ => null));

        Assert.StartsWith("https://account.blob.core.windows.net/ names no container", exception.Message, StringComparison.Ordinal);
    }
}
