namespace Tune.Pipeline.Publishing;

/// <summary>Represents an upload of a published folder to a remote store, created by an <see cref="IArtifactUploaderProvider"/>.</summary>
public interface IArtifactUploader
{
    /// <summary>Uploads every file of the published folder, keeping its relative paths under the configured prefix.</summary>
    /// <param name="published">The published folder.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>One line that says how many files went where, safe to print: it names no secret.</returns>
    /// <exception cref="ArtifactUploadException">The upload failed; the message names the target and never a secret.</exception>
    Task<string> UploadAsync(PublishedArtifacts published, CancellationToken cancellationToken);
}
