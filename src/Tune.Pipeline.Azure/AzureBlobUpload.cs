using System.Collections.Immutable;

namespace Tune.Pipeline.Publishing.Azure;

/// <summary>
/// Represents a finished upload: the container (its URL without any SAS token) and the blobs written.
/// </summary>
/// <param name="ContainerUri">The container's URL, safe to print.</param>
/// <param name="BlobNames">The blobs' names, prefix included, in ordinal order.</param>
public sealed record AzureBlobUpload(Uri ContainerUri, ImmutableArray<string> BlobNames);
