namespace Tune.Pipeline.Publishing;

/// <summary>
/// The exception thrown when an <see cref="IArtifactUploader"/> fails: the folder is published locally, only its upload
/// failed. Its message names the target and never a key, token or connection string.
/// </summary>
/// <remarks>An upload package derives its own exception from this one, so that a host maps every upload failure to one exit code.</remarks>
public class ArtifactUploadException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ArtifactUploadException"/> class.</summary>
    public ArtifactUploadException()
        : this("Uploading the published folder failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ArtifactUploadException"/> class.</summary>
    /// <param name="message">The message; it must hold no secret.</param>
    public ArtifactUploadException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ArtifactUploadException"/> class.</summary>
    /// <param name="message">The message; it must hold no secret.</param>
    /// <param name="innerException">The cause; it must hold no secret.</param>
    public ArtifactUploadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
