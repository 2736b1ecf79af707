using Tune.Pipeline.Publishing;
using Tune.Pipeline.Publishing.Azure;

[assembly: ArtifactUploaderProvider(typeof(AzureBlobArtifactUploaderProvider))]

namespace Tune.Pipeline.Publishing.Azure;

/// <summary>
/// Uploads published folders to Azure Blob Storage for an experiment executable that references this package: the
/// connection string or SAS URL comes from the named variable, else the service URL is used with DefaultAzureCredential.
/// </summary>
public sealed class AzureBlobArtifactUploaderProvider : IArtifactUploaderProvider
{
    /// <inheritdoc/>
    public IArtifactUploader Create(ArtifactUploaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new AzureBlobPublisher(AzureBlobPublishOptions.FromEnvironment(
            options.Container, options.Prefix, options.CredentialVariable, options.ServiceUri, options.Environment));
    }
}
