namespace Tune.Pipeline.Publishing;

/// <summary>Gets or sets where an <see cref="IArtifactUploader"/> puts a published folder, and where its secret comes from.</summary>
/// <remarks>The secret itself never appears here: only the name of the environment variable that holds it.</remarks>
public sealed class ArtifactUploaderOptions
{
    /// <summary>Gets or sets the container (or bucket) to upload to.</summary>
    /// <value>Defaults to <see langword="null"/>; a credential that names its container (a container SAS URL) may stand in for it.</value>
    public string? Container { get; set; }

    /// <summary>Gets or sets the folder-like prefix the files go under, such as <c>breast-cancer/v2</c>.</summary>
    /// <value>Defaults to the empty string: the container's root.</value>
    public string Prefix { get; set; } = string.Empty;

    /// <summary>Gets or sets the environment variable that holds the connection string or signed URL.</summary>
    /// <value>Required.</value>
    public required string CredentialVariable { get; set; }

    /// <summary>Gets or sets the service's URL, used with the platform's default credential when the variable is not set.</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public Uri? ServiceUri { get; set; }

    /// <summary>Gets or sets how an environment variable is read.</summary>
    /// <value>Defaults to <see cref="Environment.GetEnvironmentVariable(string)"/>.</value>
    public Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;
}
