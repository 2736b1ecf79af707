using Azure.Storage.Blobs;
using Azure.Core;

namespace Tune.Pipeline.Publishing.Azure;

/// <summary>
/// Gets or sets where and how a published folder is uploaded to Azure Blob Storage. Give exactly one way to
/// authenticate: <see cref="ConnectionString"/>, <see cref="SasUri"/>, or <see cref="ServiceUri"/> (with
/// <see cref="Credential"/>, <c>DefaultAzureCredential</c> by default).
/// </summary>
/// <remarks>
/// The connection string and the SAS URL are secrets: <see cref="ToString"/> and every message this library writes
/// leave them out, naming only the account's host and the container.
/// </remarks>
public sealed class AzureBlobPublishOptions
{
    /// <summary>Gets or sets a storage account connection string (with an account key or a SAS).</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets a SAS URL: a container's (the container is then taken from it) or an account's.</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public Uri? SasUri { get; set; }

    /// <summary>Gets or sets the blob service endpoint, such as <c>https://account.blob.core.windows.net</c>, used with <see cref="Credential"/>.</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public Uri? ServiceUri { get; set; }

    /// <summary>Gets or sets the credential used with <see cref="ServiceUri"/>.</summary>
    /// <value>Defaults to <see langword="null"/>: a <c>DefaultAzureCredential</c> (environment, workload or managed identity, Azure CLI, ...).</value>
    public TokenCredential? Credential { get; set; }

    /// <summary>Gets or sets the container's name.</summary>
    /// <value>Defaults to <see langword="null"/>; required unless <see cref="SasUri"/> names a container.</value>
    public string? Container { get; set; }

    /// <summary>Gets or sets the folder-like prefix the files go under, such as <c>models/breast-cancer/2026-11-23</c>.</summary>
    /// <value>Defaults to the empty string: the container's root.</value>
    public string Prefix { get; set; } = string.Empty;

    /// <summary>Gets or sets a value indicating whether existing blobs are replaced.</summary>
    /// <value>Defaults to <see langword="true"/>. When <see langword="false"/>, an existing blob fails the upload, naming it.</value>
    public bool Overwrite { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the container is created when it does not exist.</summary>
    /// <value>Defaults to <see langword="true"/>. Ignored for a container SAS URL, which presumes its container.</value>
    public bool CreateContainer { get; set; } = true;

    /// <summary>Gets or sets how many times a failed request is retried.</summary>
    /// <value>Defaults to 3.</value>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The environment variable that holds the connection string or SAS URL unless another is named.</summary>
    public const string DefaultCredentialVariable = "AZURE_STORAGE_CONNECTION_STRING";

    /// <summary>
    /// Creates the options for an upload whose secret comes from an environment variable: a SAS URL (an <c>http(s)</c>
    /// URL) or a connection string; when the variable is not set, <paramref name="serviceUri"/> with
    /// <c>DefaultAzureCredential</c>.
    /// </summary>
    /// <param name="container">The container's name; a container SAS URL may name it instead.</param>
    /// <param name="prefix">The blob prefix.</param>
    /// <param name="credentialVariable">The environment variable that holds the secret.</param>
    /// <param name="serviceUri">The blob service's URL, for <c>DefaultAzureCredential</c>.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">Neither the variable nor a service URL is set; the message names the variable and never a secret.</exception>
    public static AzureBlobPublishOptions FromEnvironment(string? container, string prefix, string credentialVariable, Uri? serviceUri, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(credentialVariable);
        ArgumentNullException.ThrowIfNull(environment);
        var secret = environment(credentialVariable);
        if (string.IsNullOrEmpty(secret))
        {
            return serviceUri is not null
                ? new AzureBlobPublishOptions { ServiceUri = serviceUri, Container = container, Prefix = prefix }
                : throw new ArgumentException(
                    $"Uploading to Azure Blob Storage needs a connection string or SAS URL in the environment variable {credentialVariable}, or publish.azure.service-uri in the sweep file for DefaultAzureCredential. Set one, or leave out the Azure container.");
        }

        var isSasUrl = Uri.TryCreate(secret, UriKind.Absolute, out var url) && url.Scheme is "https" or "http";
        return new AzureBlobPublishOptions
        {
            ConnectionString = isSasUrl ? null : secret,
            SasUri = isSasUrl ? url : null,
            Container = container,
            Prefix = prefix,
        };
    }

    /// <summary>
    /// Reads the options for a published folder given by its blob URL (<c>https://account.blob.core.windows.net/container/prefix</c>,
    /// or Azurite's <c>http://127.0.0.1:10000/account/container/prefix</c>): a URL with a SAS token is used as it is;
    /// otherwise the credentials come as <see cref="FromEnvironment(string?, string, string, Uri?, Func{string, string?})"/>
    /// resolves them, with the URL's account as the service URL.
    /// </summary>
    /// <param name="url">The folder's URL: the container and the prefix its files are under.</param>
    /// <param name="credentialVariable">The variable holding a connection string or SAS URL, such as <see cref="DefaultCredentialVariable"/>.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <returns>The options, with <see cref="Container"/> and <see cref="Prefix"/> from the URL.</returns>
    /// <exception cref="ArgumentException">
    /// The URL names no container, or the connection string in the variable is for another account than the URL's;
    /// the message names the hosts and never a secret.
    /// </exception>
    public static AzureBlobPublishOptions ForFolderUrl(Uri url, string credentialVariable, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(environment);
        var parts = new BlobUriBuilder(url);
        var container = parts.BlobContainerName;
        if (string.IsNullOrEmpty(container))
        {
            throw new ArgumentException($"{AzureBlobPublisher.Redact(url)} names no container: use the folder's URL, such as https://account.blob.core.windows.net/models/breast-cancer.", nameof(url));
        }

        var prefix = parts.BlobName.Trim('/');
        var hasSas = !string.IsNullOrEmpty(url.Query);
        parts.BlobName = string.Empty;
        if (hasSas)
        {
            return new AzureBlobPublishOptions { SasUri = parts.ToUri(), Prefix = prefix, CreateContainer = false };
        }

        parts.BlobContainerName = string.Empty;
        var serviceUri = parts.ToUri();
        var options = FromEnvironment(container, prefix, credentialVariable, serviceUri, environment);
        options.CreateContainer = false;
        if (options.ConnectionString is { } connectionString)
        {
            // The variable may hold another account's connection string: downloading from there would read another
            // model than the URL names, without a word.
            Uri connected;
            try
            {
                connected = new BlobServiceClient(connectionString).Uri;
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
            {
                throw new ArgumentException($"The connection string in {credentialVariable} is malformed. Copy it again from the storage account's Access keys page.", nameof(environment));
            }

            if (!SameAccount(connected, serviceUri))
            {
                throw new ArgumentException($"The connection string in {credentialVariable} is for {AzureBlobPublisher.Redact(connected)}, but the URL names {AzureBlobPublisher.Redact(serviceUri)}. Set the variable to that account's connection string, or put a SAS token on the URL.", nameof(environment));
            }
        }
        else if (options.SasUri is { } sas && !SameAccount(new BlobUriBuilder(sas) { BlobContainerName = string.Empty, BlobName = string.Empty, Sas = null, Query = null }.ToUri(), serviceUri))
        {
            throw new ArgumentException($"The SAS URL in {credentialVariable} is for {AzureBlobPublisher.Redact(sas)}, but the URL names {AzureBlobPublisher.Redact(serviceUri)}. Set the variable to a SAS URL of that account, or put a SAS token on the URL.", nameof(environment));
        }

        return options;
    }

    private static bool SameAccount(Uri a, Uri b) =>
        string.Equals(a.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped).TrimEnd('/'), b.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped).TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    /// <summary>Lists every problem with these options, each as one sentence.</summary>
    /// <returns>The problems; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        var ways = (ConnectionString is null ? 0 : 1) + (SasUri is null ? 0 : 1) + (ServiceUri is null ? 0 : 1);
        if (ways != 1)
        {
            problems.Add(ways == 0
                ? "No way to authenticate to Azure Blob Storage was given. Set ConnectionString, SasUri, or ServiceUri (with DefaultAzureCredential)."
                : "More than one way to authenticate to Azure Blob Storage was given. Set only one of ConnectionString, SasUri and ServiceUri.");
        }

        if (Credential is not null && ServiceUri is null)
        {
            problems.Add("Credential is set but ServiceUri is not. Set ServiceUri to the account's blob endpoint, such as https://account.blob.core.windows.net.");
        }

        if (SasUri is not null && string.IsNullOrEmpty(SasUri.Query))
        {
            problems.Add($"SasUri {AzureBlobPublisher.Redact(SasUri)} carries no SAS token (no query string). Use the full SAS URL.");
        }

        if (ServiceUri is not null && !ServiceUri.IsAbsoluteUri)
        {
            problems.Add("ServiceUri must be an absolute URL, such as https://account.blob.core.windows.net.");
        }

        if (MaxRetries < 0)
        {
            problems.Add($"MaxRetries is {MaxRetries}; use 0 or more.");
        }

        return problems;
    }

    /// <summary>Describes the destination without any secret.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var how = ConnectionString is not null ? "connection string" : SasUri is not null ? $"SAS URL {AzureBlobPublisher.Redact(SasUri)}" : ServiceUri is not null ? $"{ServiceUri} with {Credential?.GetType().Name ?? "DefaultAzureCredential"}" : "no credentials";
        return $"container '{Container}', prefix '{Prefix}', {how}";
    }
}
