namespace Tune.Pipeline.Publishing;

/// <summary>
/// Represents an upload of published folders that an experiment executable can opt into by referencing its package
/// (Tune.Pipeline.Azure): the host finds the provider through <see cref="ArtifactUploaderProviderAttribute"/> when a
/// publish asks for an upload.
/// </summary>
/// <remarks>
/// The extension point lives here, beside <see cref="ArtifactPublisher"/>, rather than in Hosting: an upload package needs
/// what a publish produced and nothing above it, and a package that referenced Hosting would point the dependencies
/// outward (Hosting composes packages; packages do not know the host).
/// </remarks>
public interface IArtifactUploaderProvider
{
    /// <summary>
    /// Creates the uploader, checking its settings, so that a publish that cannot upload is refused before a sweep
    /// rather than after it; nothing is connected until the first upload.
    /// </summary>
    /// <param name="options">Where the files go and where the secret is read from.</param>
    /// <returns>The uploader.</returns>
    /// <exception cref="ArgumentException">The settings cannot be used (a variable that is not set, say); the message names no secret.</exception>
    IArtifactUploader Create(ArtifactUploaderOptions options);
}
