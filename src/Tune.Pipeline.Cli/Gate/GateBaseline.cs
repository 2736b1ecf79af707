using Tune.Pipeline.Hosting;
using Tune.Pipeline.Publishing;
using Tune.Pipeline.Publishing.Azure;
using Tune.Pipeline.Tracking.MLflow;

namespace Tune.Pipeline.Cli.Gate;

/// <summary>
/// Finds a gate's baseline where <c>--baseline</c> says it is: a published folder or its manifest on disk, a published
/// folder in Azure Blob Storage (the folder the Azure upload wrote), or an MLflow registered model version (the
/// folder the MLflow tracker logged under the sweep run's <c>model/</c> artifacts).
/// </summary>
internal static class GateBaseline
{
    /// <summary>The scheme of an MLflow registered model version: <c>models:/NAME/VERSION</c>, as MLflow writes it.</summary>
    public const string ModelsScheme = "models";

    /// <summary>Finds the baseline on disk, downloading the folder (or, from MLflow, its manifest) into <paramref name="downloads"/> first.</summary>
    /// <param name="baseline">What <c>--baseline</c> says.</param>
    /// <param name="downloads">An empty folder for what is downloaded; the caller deletes it.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The published folder or manifest on disk, and where a downloaded one came from (safe to show), or <see langword="null"/> for a local one.</returns>
    /// <exception cref="UsageException">The baseline is malformed, or the settings to reach it are missing.</exception>
    /// <exception cref="BaselineUnreachableException">The baseline does not exist where it was said to be, or cannot be reached.</exception>
    public static async Task<(string Path, string? Source)> FetchAsync(string baseline, string downloads, CancellationToken cancellationToken)
    {
        string local;
        string? source = null;
        if (baseline.StartsWith(ModelsScheme + ":", StringComparison.Ordinal))
        {
            local = await FromMLflowAsync(baseline, downloads, cancellationToken).ConfigureAwait(false);
            source = baseline;
        }
        else if (Uri.TryCreate(baseline, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            local = await FromAzureAsync(url, downloads, cancellationToken).ConfigureAwait(false);
            source = Redacted(url).ToString();
        }
        else if (Directory.Exists(baseline) || File.Exists(baseline))
        {
            local = baseline;
        }
        else if (Uri.TryCreate(baseline, UriKind.Absolute, out var other) && other.Scheme is not ("file" or "http" or "https") && other.Scheme.Length > 1)
        {
            // runs:/, s3://, wasbs:// ...: say what is read rather than "does not exist".
            throw new UsageException($"--baseline is a {other.Scheme}: URI, which the gate does not read: pass a published folder or its manifest.json, its Azure Blob URL (https://), or an MLflow models:/NAME/VERSION.");
        }
        else
        {
            throw new BaselineUnreachableException($"The baseline '{Shown.Line(baseline)}' does not exist: pass the folder the default branch published (artifacts/<experiment>) or its manifest.json, its Azure Blob URL, or an MLflow models:/NAME/VERSION.");
        }

        return (local, source);
    }

    private static async Task<string> FromAzureAsync(Uri url, string downloads, CancellationToken cancellationToken)
    {
        var shown = Redacted(url);
        AzureBlobPublisher storage;
        try
        {
            storage = new AzureBlobPublisher(AzureBlobPublishOptions.ForFolderUrl(url, AzureBlobPublishOptions.DefaultCredentialVariable, Environment.GetEnvironmentVariable));
        }
        catch (ArgumentException exception)
        {
            throw new UsageException($"The baseline {shown}: {ArgumentMessage.Sentence(exception)}");
        }

        try
        {
            await storage.DownloadDirectoryAsync(downloads, cancellationToken).ConfigureAwait(false);
        }
        catch (AzureBlobPublishException exception)
        {
            throw new BaselineUnreachableException($"The baseline {shown} could not be read from Azure Blob Storage: {exception.Message}");
        }

        return downloads;
    }

    // The URL may carry a SAS token (or user information): only this form of it is ever shown.
    private static Uri Redacted(Uri url) => new(url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped));

    private static async Task<string> FromMLflowAsync(string baseline, string downloads, CancellationToken cancellationToken)
    {
        // models:/NAME/VERSION; MLflow's aliases (models:/NAME@alias) and stages are not read.
        var parts = baseline[(ModelsScheme.Length + 1)..].TrimStart('/').Split('/');
        if (parts.Length != 2 || parts[0].Length == 0 || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            throw new UsageException($"--baseline {Shown.Value(baseline)} is not an MLflow model version: write models:/NAME/VERSION, such as models:/breast-cancer/3.");
        }

        MLflowClientOptions? options;
        try
        {
            options = MLflowClientOptions.FromEnvironment();
        }
        catch (ArgumentException exception)
        {
            throw new UsageException(ArgumentMessage.Sentence(exception));
        }

        if (options is null)
        {
            throw new UsageException($"--baseline {Shown.Value(baseline)} is in MLflow's registry, but no tracking server is given: set {MLflowClientOptions.TrackingUriVariable}, such as http://localhost:5000.");
        }

        // Two quick retries, as `tune mlflow sync` does: an unreachable server is reported in seconds.
        options.MaxRetries = Math.Min(options.MaxRetries, 2);
        var (name, version) = (parts[0], parts[1]);
        using var client = new MLflowClient(options);
        try
        {
            var found = await client.GetModelVersionAsync(name, version, cancellationToken).ConfigureAwait(false);
            if (!found.Source.StartsWith(MLflowClient.ArtifactScheme + ":", StringComparison.Ordinal))
            {
                throw new UsageException($"Model '{name}' version {version} is stored at a {found.Source.Split(':')[0]}: source; the gate reads the {MLflowClient.ArtifactScheme}: sources that tune's MLflow tracking registers.");
            }

            var manifest = await client.DownloadArtifactAsync($"{found.Source.TrimEnd('/')}/{PublishedManifest.FileName}", cancellationToken).ConfigureAwait(false);
            var file = Path.Combine(downloads, PublishedManifest.FileName);
            await File.WriteAllBytesAsync(file, manifest, cancellationToken).ConfigureAwait(false);
            return file;
        }
        catch (MLflowException exception)
        {
            var why = exception.ErrorCode switch
            {
                MLflowErrorCodes.ResourceDoesNotExist => $"{options} has no model '{name}' version {version}.",
                MLflowErrorCodes.InternalError => $"model '{name}' version {version} has no {PublishedManifest.FileName} in MLflow ({exception.Message}); register models with tune's MLflow tracking (--register-model), which logs the published folder.",
                _ => exception.Message,
            };
            throw new BaselineUnreachableException($"The baseline {baseline} could not be read: {why}");
        }
        catch (ArgumentException exception)
        {
            throw new UsageException($"The baseline {baseline}: {ArgumentMessage.Sentence(exception)}");
        }
    }
}

/// <summary>The exception thrown when a gate's baseline cannot be read from where it was said to be (exit code 3).</summary>
/// <param name="message">What could not be reached, and what to check; it holds no secret.</param>
internal sealed class BaselineUnreachableException(string message) : Exception(message);
