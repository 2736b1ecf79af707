using System.Collections.Immutable;
using System.Globalization;
using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Tune.Pipeline.Publishing.Azure;

/// <summary>
/// Uploads a published folder (<c>artifacts/&lt;experiment&gt;/</c>) to an Azure Blob Storage container, keeping
/// its sub-folders as <c>/</c>-separated blob names under a prefix.
/// </summary>
/// <remarks>Thread-safe. Secrets in the options never reach a message: see <see cref="AzureBlobPublishException"/>.</remarks>
public sealed class AzureBlobPublisher : IArtifactUploader
{
    private readonly AzureBlobPublishOptions _options;
    private readonly string _prefix;

    /// <summary>Initializes a new instance of the <see cref="AzureBlobPublisher"/> class.</summary>
    /// <param name="options">Where and how to upload; validated here, and copied, so later changes have no effect.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public AzureBlobPublisher(AzureBlobPublishOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        _options = new AzureBlobPublishOptions
        {
            ConnectionString = options.ConnectionString,
            SasUri = options.SasUri,
            ServiceUri = options.ServiceUri,
            Credential = options.Credential,
            Container = options.Container,
            Prefix = options.Prefix,
            Overwrite = options.Overwrite,
            CreateContainer = options.CreateContainer,
            MaxRetries = options.MaxRetries,
        };
        _prefix = options.Prefix.Trim('/');
    }

    /// <inheritdoc/>
    async Task<string> IArtifactUploader.UploadAsync(PublishedArtifacts published, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(published);
        var upload = await UploadDirectoryAsync(published.Directory, cancellationToken).ConfigureAwait(false);

        // The container's URL carries no SAS token: safe to print.
        return string.Create(CultureInfo.InvariantCulture, $"Uploaded {upload.BlobNames.Length} files to {upload.ContainerUri}");
    }

    /// <summary>Uploads every file under <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder, such as <c>PublishedArtifacts.Directory</c>.</param>
    /// <param name="cancellationToken">Cancels the upload; blobs already written stay.</param>
    /// <returns>The container's URL (without a SAS token) and the blobs written.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="AzureBlobPublishException">The service refused or could not be reached; the message holds no secret.</exception>
    public async Task<AzureBlobUpload> UploadDirectoryAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var source = Path.GetFullPath(directory);
        if (!Directory.Exists(source))
        {
            throw new DirectoryNotFoundException($"The folder to upload, '{source}', does not exist.");
        }

        var (container, createContainer) = OpenContainer();

        var where = $"container '{container.Name}' at {Redact(container.Uri)}";
        var names = ImmutableArray.CreateBuilder<string>();
        string? current = null;
        try
        {
            if (createContainer)
            {
                await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(source, file).Replace('\\', '/');
                current = _prefix.Length == 0 ? relative : $"{_prefix}/{relative}";
                var upload = new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = ContentTypeOf(relative) },

                    // If-None-Match: * makes the service refuse to replace a blob that exists.
                    Conditions = _options.Overwrite ? null : new BlobRequestConditions { IfNoneMatch = ETag.All },
                };
                var stream = File.OpenRead(file);
                await using (stream.ConfigureAwait(false))
                {
                    await container.GetBlobClient(current).UploadAsync(stream, upload, cancellationToken).ConfigureAwait(false);
                }

                names.Add(current);
            }
        }
        catch (RequestFailedException e)
        {
            var what = current is null ? $"Creating {where}" : $"Uploading blob '{current}' to {where}";
            var hint = e.Status switch
            {
                403 => " Check that the key, SAS token or identity is valid, unexpired and allowed to write.",
                409 or 412 when !_options.Overwrite => " The blob exists and Overwrite is off; use another prefix or turn Overwrite on.",
                404 => " Check the container's name, or let the publisher create it.",
                0 => " No answer came: check the endpoint and the network.",
                _ => string.Empty,
            };
            throw new AzureBlobPublishException($"{what} failed: the service answered {e.Status} {e.ErrorCode}.{hint}") { Status = e.Status, ErrorCode = e.ErrorCode };
        }
        catch (Exception e) when (e is AggregateException or HttpRequestException or IOException)
        {
            // The transport gave up after its retries: no answer at all, so there is no status to explain.
            throw new AzureBlobPublishException($"{where} could not be reached: {e.GetBaseException().Message} Check the endpoint and the network, then run `retrain` to publish again.", e);
        }
        catch (AuthenticationFailedException e)
        {
            // Azure.Identity's messages list the credentials it tried and why each failed; they carry no secret.
            throw new AzureBlobPublishException($"Authenticating to {where} failed. {e.Message}", e);
        }

        return new AzureBlobUpload(Redact(container.Uri), names.ToImmutable());
    }

    /// <summary>
    /// Downloads every blob under the prefix into <paramref name="destination"/>, keeping the <c>/</c>-separated names as
    /// sub-folders: the reverse of <see cref="UploadDirectoryAsync"/>, used to read a published folder back (a gate's
    /// baseline).
    /// </summary>
    /// <param name="destination">The folder to write into; created when missing.</param>
    /// <param name="cancellationToken">Cancels the download; files already written stay.</param>
    /// <returns>The container's URL (without a SAS token) and the blobs read.</returns>
    /// <exception cref="AzureBlobPublishException">
    /// The service refused or could not be reached, or no blob lies under the prefix; the message holds no secret.
    /// </exception>
    public async Task<AzureBlobUpload> DownloadDirectoryAsync(string destination, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        var target = Path.GetFullPath(destination);
        var (container, _) = OpenContainer();

        var where = $"container '{container.Name}' at {Redact(container.Uri)}";
        var names = ImmutableArray.CreateBuilder<string>();
        string? current = null;
        try
        {
            // "prefix/": a prefix "model" must not also read "model-old/...".
            var listPrefix = _prefix.Length == 0 ? null : _prefix + "/";
            await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = listPrefix }, cancellationToken).ConfigureAwait(false))
            {
                current = item.Name;
                var relative = listPrefix is null ? item.Name : item.Name[listPrefix.Length..];
                var file = Path.GetFullPath(Path.Combine(target, relative));
                if (!file.StartsWith(target + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    // A blob name with ".." segments would write outside the folder.
                    throw new AzureBlobPublishException($"Blob '{item.Name}' in {where} climbs out of its folder; it was not downloaded.");
                }

                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                await container.GetBlobClient(item.Name).DownloadToAsync(file, cancellationToken).ConfigureAwait(false);
                names.Add(item.Name);
            }
        }
        catch (RequestFailedException e)
        {
            var what = current is null ? $"Listing '{_prefix}/' in {where}" : $"Downloading blob '{current}' from {where}";
            var hint = e.Status switch
            {
                403 => " Check that the key, SAS token or identity is valid, unexpired and allowed to read.",
                404 => " Check the container's name in the URL.",
                0 => " No answer came: check the endpoint and the network.",
                _ => string.Empty,
            };
            throw new AzureBlobPublishException($"{what} failed: the service answered {e.Status} {e.ErrorCode}.{hint}") { Status = e.Status, ErrorCode = e.ErrorCode };
        }
        catch (Exception e) when (e is AggregateException or HttpRequestException)
        {
            throw new AzureBlobPublishException($"{where} could not be reached: {e.GetBaseException().Message} Check the endpoint and the network.", e);
        }
        catch (AuthenticationFailedException e)
        {
            throw new AzureBlobPublishException($"Authenticating to {where} failed. {e.Message}", e);
        }

        if (names.Count == 0)
        {
            throw new AzureBlobPublishException($"No blob lies under '{_prefix}/' in {where}. Check the prefix: it is the folder the upload wrote (publish.azure.prefix).");
        }

        return new AzureBlobUpload(Redact(container.Uri), names.ToImmutable());
    }

    /// <summary>Drops the query string (a SAS token) and any user information from a URL.</summary>
    /// <param name="uri">The URL.</param>
    /// <returns>The URL, safe to print.</returns>
    internal static Uri Redact(Uri uri) =>
        uri.IsAbsoluteUri ? new Uri(uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)) : uri;

    private (BlobContainerClient Client, bool Create) OpenContainer()
    {
        try
        {
            return CreateContainerClient();
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            // The client's own message may quote the connection string; ours names no secret.
            throw new AzureBlobPublishException("The Azure Storage connection string is not valid: expected AccountName=...;AccountKey=... or BlobEndpoint=...;SharedAccessSignature=.... Check the variable that holds it.", e);
        }
    }

    private (BlobContainerClient Client, bool Create) CreateContainerClient()
    {
        var clientOptions = new BlobClientOptions();
        clientOptions.Retry.MaxRetries = _options.MaxRetries;

        if (_options.ConnectionString is { } connectionString)
        {
            BlobServiceClient service;
            try
            {
                service = new BlobServiceClient(connectionString, clientOptions);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
            {
                // The parser's own messages may quote the string; say what is wrong without it.
                throw new AzureBlobPublishException("The Azure Storage connection string is malformed. Copy it again from the storage account's Access keys page (it holds AccountName=...;AccountKey=... or BlobEndpoint=...;SharedAccessSignature=...).");
            }

            return (service.GetBlobContainerClient(RequireContainer()), _options.CreateContainer);
        }

        if (_options.SasUri is { } sasUri)
        {
            var container = new BlobUriBuilder(sasUri).BlobContainerName;
            if (!string.IsNullOrEmpty(container))
            {
                if (_options.Container is { } named && !string.Equals(named, container, StringComparison.Ordinal))
                {
                    throw new AzureBlobPublishException($"The SAS URL {Redact(sasUri)} is for container '{container}', but Container is '{named}'. Leave Container unset or make them agree.");
                }

                return (new BlobContainerClient(sasUri, clientOptions), false);
            }

            return (new BlobServiceClient(sasUri, clientOptions).GetBlobContainerClient(RequireContainer()), _options.CreateContainer);
        }

        var credential = _options.Credential ?? new DefaultAzureCredential();
        return (new BlobServiceClient(_options.ServiceUri!, credential, clientOptions).GetBlobContainerClient(RequireContainer()), _options.CreateContainer);
    }

    private string RequireContainer() =>
        string.IsNullOrEmpty(_options.Container)
            ? throw new AzureBlobPublishException("No container was named. Set Container, or use a container SAS URL.")
            : _options.Container;

    private static string ContentTypeOf(string name) => Path.GetExtension(name).ToUpperInvariant() switch
    {
        ".JSON" => "application/json",
        ".HTML" or ".HTM" => "text/html; charset=utf-8",
        ".SVG" => "image/svg+xml",
        ".PNG" => "image/png",
        ".TXT" or ".MD" => "text/plain; charset=utf-8",
        ".CSV" => "text/csv",
        ".ZIP" => "application/zip",
        _ => "application/octet-stream",
    };
}
