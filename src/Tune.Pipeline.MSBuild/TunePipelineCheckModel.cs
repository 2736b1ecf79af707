using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Tune.Pipeline.MSBuild;

/// <summary>
/// Checks one published model's files against its manifest's sizes and SHA-256 and, when every file matches, writes the
/// stamp that lets the next build skip the check until a file changes (the target's Inputs and Outputs). A file that
/// differs is TUNE1003 and no stamp is written, so the next build checks again.
/// </summary>
public sealed class TunePipelineCheckModel : Task
{
    /// <summary>Gets or sets the model's files, from <see cref="TunePipelineReadModels"/> (one stamp among them all).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = [];

    /// <inheritdoc/>
    public override bool Execute()
    {
        foreach (var file in Files)
        {
            var expected = file.GetMetadata(TunePipelineReadModels.Sha256Metadata);
            if (expected.Length == 0)
            {
                // The manifest itself: what it says is what the other files are checked against.
                continue;
            }

            var bytes = long.Parse(file.GetMetadata(TunePipelineReadModels.BytesMetadata), CultureInfo.InvariantCulture);
            var manifest = file.GetMetadata(TunePipelineReadModels.ManifestMetadata);
            try
            {
                using var stream = System.IO.File.OpenRead(file.ItemSpec);
                var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
                if (stream.Length != bytes || !string.Equals(actual, expected, StringComparison.Ordinal))
                {
                    TuneDiagnostics.Error(Log, TuneDiagnostics.ModelAltered, manifest, string.Create(CultureInfo.InvariantCulture,
                        $"'{file.ItemSpec}' was changed after it was published: it has {stream.Length} bytes and SHA-256 {actual}, but {System.IO.Path.GetFileName(manifest)} lists {bytes} bytes and {expected}. Publish the model again with the experiment's TunePipelinePublish target, or restore the published file."));
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                TuneDiagnostics.Error(Log, TuneDiagnostics.ModelAltered, manifest,
                    $"'{file.ItemSpec}', listed in {manifest}, cannot be read: {exception.Message}. Restore the file, or publish the model again.");
            }
        }

        if (Log.HasLoggedErrors || Files.Length == 0)
        {
            return !Log.HasLoggedErrors;
        }

        var stamp = Files[0].GetMetadata(TunePipelineReadModels.StampMetadata);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(stamp)!);
        System.IO.File.WriteAllText(stamp, Files[0].GetMetadata(TunePipelineReadModels.ManifestMetadata) + Environment.NewLine);
        return true;
    }
}
