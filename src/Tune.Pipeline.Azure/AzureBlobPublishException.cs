namespace Tune.Pipeline.Publishing.Azure;

/// <summary>
/// The exception thrown when an upload to Azure Blob Storage fails. Its message names the account's host, the
/// container and the blob, with the service's status and error code, and never a key, SAS token or connection string.
/// </summary>
/// <remarks>
/// The Azure SDK's own exception is deliberately not attached as the inner exception: its text includes request
/// details, and logging <c>exception.ToString()</c> must be safe.
/// </remarks>
public sealed class AzureBlobPublishException : ArtifactUploadException
{
    /// <summary>Initializes a new instance of the <see cref="AzureBlobPublishException"/> class.</summary>
    public AzureBlobPublishException()
        : this("Uploading to Azure Blob Storage failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AzureBlobPublishException"/> class.</summary>
    /// <param name="message">The message; it must hold no secret.</param>
    public AzureBlobPublishException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AzureBlobPublishException"/> class.</summary>
    /// <param name="message">The message; it must hold no secret.</param>
    /// <param name="innerException">The cause; it must hold no secret.</param>
    public AzureBlobPublishException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the HTTP status the service answered with, or 0 when no answer came.</summary>
    public int Status { get; init; }

    /// <summary>Gets the service's error code, such as <c>AuthorizationFailure</c>, when it gave one.</summary>
    public string? ErrorCode { get; init; }
}
