using System.CommandLine;
using System.Globalization;
using Tune.Pipeline.Hosting;
using Tune.Pipeline.Hosting.Verbs;
using Tune.Pipeline.Publishing;
using Tune.Pipeline.Publishing.Azure;

namespace Tune.Pipeline.Cli.Publishing;

/// <summary>
/// <c>tune publish artifacts/&lt;experiment&gt; --azure-container NAME</c>: uploads a published folder (one with a
/// <c>manifest.json</c>) to Azure Blob Storage, as <c>sweep</c> and <c>retrain</c> do with <c>--azure-container</c>, for a
/// folder published earlier or on another machine (a CI job's artifact).
/// </summary>
/// <remarks>Exit codes: 0 uploaded, 2 usage (not a published folder, no credentials), 3 the upload failed.</remarks>
internal static class PublishCommand
{
    /// <summary>The exit code of an upload the service refused or could not take.</summary>
    public const int UploadFailed = 3;

    /// <summary>Creates the command.</summary>
    /// <returns>The <c>publish</c> command.</returns>
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "The published folder (artifacts/<experiment>, with its manifest.json)." };
        var container = VerbOptions.AzureContainer();
        container.Required = true;
        var prefix = VerbOptions.AzurePrefix();
        var command = new Command("publish", "Upload a published folder to Azure Blob Storage: exit 0 uploaded, 2 usage, 3 the upload failed.") { folder, container, prefix };
        command.SetAction((result, ct) => RunAsync(
            result.GetValue(folder)!, result.GetValue(container)!, result.GetValue(prefix), result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, ct));
        return command;
    }

    private static async Task<int> RunAsync(string folder, string container, string? prefix, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        PublishedManifest manifest;
        try
        {
            // Only a published folder: uploading the repository root by mistake would be slow and leak what it holds.
            manifest = await PublishedManifest.ReadAsync(Directory.Exists(folder) ? folder : Path.Combine(folder, PublishedManifest.FileName), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"'{Shown.Line(folder)}' is not a published folder: {exception.Message} Pass the folder a sweep or retrain published (artifacts/<experiment>).").ConfigureAwait(false);
            return ExperimentHost.UsageError;
        }

        AzureBlobPublisher storage;
        try
        {
            storage = new AzureBlobPublisher(AzureBlobPublishOptions.FromEnvironment(
                container, prefix ?? manifest.Experiment, AzureBlobPublishOptions.DefaultCredentialVariable, serviceUri: null, Environment.GetEnvironmentVariable));
        }
        catch (ArgumentException exception)
        {
            await error.WriteLineAsync(ArgumentMessage.Sentence(exception)).ConfigureAwait(false);
            return ExperimentHost.UsageError;
        }

        try
        {
            var upload = await storage.UploadDirectoryAsync(manifest.Directory, cancellationToken).ConfigureAwait(false);
            var under = prefix ?? manifest.Experiment;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Uploaded {upload.BlobNames.Length} files to {upload.ContainerUri}/{under}")).ConfigureAwait(false);
            return ExperimentHost.Success;
        }
        catch (AzureBlobPublishException exception)
        {
            await error.WriteLineAsync(exception.Message).ConfigureAwait(false);
            return UploadFailed;
        }
    }
}
