using Azure.Storage.Blobs;
using Azure.Storage.Sas;

namespace Tune.Pipeline.Publishing.Azure.Tests;

public sealed class AzureBlobPublisherTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tune-azure-" + Guid.NewGuid().ToString("N"));

    public AzureBlobPublisherTests()
    {
        Write("model.zip", "model bytes");
        Write("manifest.json", "{\"experiment\":\"breast-cancer\"}");
        Write("plots/roc.svg", "<svg/>");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private static async Task<Dictionary<string, (string Content, string ContentType)>> ReadAllAsync(BlobContainerClient container, CancellationToken ct)
    {
        var blobs = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        await foreach (var item in container.GetBlobsAsync(cancellationToken: ct))
        {
            var download = await container.GetBlobClient(item.Name).DownloadContentAsync(ct);
            blobs[item.Name] = (download.Value.Content.ToString(), download.Value.Details.ContentType);
        }

        return blobs;
    }

    [Fact]
    public async Task UploadDirectoryAsync_ConnectionString_UploadsEveryFileUnderPrefix()
    {
        var ct = TestContext.Current.CancellationToken;
        var container = Azurite.NewContainer(out var name);
        var publisher = new AzureBlobPublisher(new AzureBlobPublishOptions { ConnectionString = Azurite.ConnectionString, Container = name, Prefix = "/models/breast-cancer/" });

        var upload = await publisher.UploadDirectoryAsync(_folder, ct);

        var blobs = await ReadAllAsync(container, ct);
        Assert.Equal(["models/breast-cancer/manifest.json", "models/breast-cancer/model.zip", "models/breast-cancer/plots/roc.svg"], upload.BlobNames);
        Assert.Equal(upload.BlobNames, blobs.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("model bytes", "application/zip"), blobs["models/breast-cancer/model.zip"]);
        Assert.Equal("application/json", blobs["models/breast-cancer/manifest.json"].ContentType);
        Assert.EndsWith("/" + name, upload.ContainerUri.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadDirectoryAsync_ContainerSasUrl_UploadsWithoutContainerName()
    {
        var ct = TestContext.Current.CancellationToken;
        var container = Azurite.NewContainer(out _);
        await container.CreateAsync(cancellationToken: ct);
        var sas = container.GenerateSasUri(BlobContainerSasPermissions.Create | BlobContainerSasPermissions.Write, TimeProvider.System.GetUtcNow().AddMinutes(10));
        var publisher = new AzureBlobPublisher(new AzureBlobPublishOptions { SasUri = sas });

        var upload = await publisher.UploadDirectoryAsync(_folder, ct);

        Assert.Equal(3, (await ReadAllAsync(container, ct)).Count);
        Assert.Empty(upload.ContainerUri.Query);
        Assert.DoesNotContain("sig=", upload.ContainerUri.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadDirectoryAsync_BlobExistsAndOverwriteOff_ThrowsNamingBlob()
    {
        var ct = TestContext.Current.CancellationToken;
        Azurite.NewContainer(out var name);
        var options = new AzureBlobPublishOptions { ConnectionString = Azurite.ConnectionString, Container = name, Prefix = "v1" };
        await new AzureBlobPublisher(options).UploadDirectoryAsync(_folder, ct);
        options.Overwrite = false;

        var error = await Assert.ThrowsAsync<AzureBlobPublishException>(() => new AzureBlobPublisher(options).UploadDirectoryAsync(_folder, ct));

        Assert.Contains("'v1/manifest.json'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Overwrite", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadDirectoryAsync_WrongAccountKey_ThrowsWithoutTheKey()
    {
        var ct = TestContext.Current.CancellationToken;
        Azurite.NewContainer(out var name);
        const string WrongKey = "c2VjcmV0LWtleS10aGF0LW11c3QtbmV2ZXItbGVhaw==";
        var connectionString = Azurite.ConnectionString.Replace(Azurite.AccountKey, WrongKey, StringComparison.Ordinal);
        Assert.Contains(WrongKey, connectionString, StringComparison.Ordinal);
        var options = new AzureBlobPublishOptions { ConnectionString = connectionString, Container = name, MaxRetries = 0 };

        var error = await Assert.ThrowsAsync<AzureBlobPublishException>(() => new AzureBlobPublisher(options).UploadDirectoryAsync(_folder, ct));

        Assert.Equal(403, error.Status);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(connectionString, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadDirectoryAsync_ReadOnlySas_ThrowsWithoutTheToken()
    {
        var ct = TestContext.Current.CancellationToken;
        var container = Azurite.NewContainer(out _);
        await container.CreateAsync(cancellationToken: ct);
        var sas = container.GenerateSasUri(BlobContainerSasPermissions.Read, TimeProvider.System.GetUtcNow().AddMinutes(10));
        var signature = System.Web.HttpUtility.ParseQueryString(sas.Query)["sig"]!;
        var options = new AzureBlobPublishOptions { SasUri = sas, MaxRetries = 0 };

        var error = await Assert.ThrowsAsync<AzureBlobPublishException>(() => new AzureBlobPublisher(options).UploadDirectoryAsync(_folder, ct));

        Assert.Equal(403, error.Status);
        Assert.DoesNotContain(signature, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(signature), error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(sas.Query, options.ToString(), StringComparison.Ordinal);
    }
}
