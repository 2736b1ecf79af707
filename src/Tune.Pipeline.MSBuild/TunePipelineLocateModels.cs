using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Task = Microsoft.Build.Utilities.Task;

namespace Tune.Pipeline.MSBuild;

/// <summary>
/// Sorts the <c>TunePipelineModel</c> items into experiment projects (a folder holding one project file, or the project
/// file) and published folders (a folder holding <c>manifest.json</c>). Anything else is TUNE1001.
/// </summary>
public sealed class TunePipelineLocateModels : Task
{
    /// <summary>The metadata that carries an item's text as the user wrote it, for messages.</summary>
    internal const string SpecMetadata = "TunePipelineModelSpec";

    /// <summary>Gets or sets the <c>TunePipelineModel</c> items.</summary>
    [Required]
    public ITaskItem[] Models { get; set; } = [];

    /// <summary>Gets or sets the consuming project's file, which errors point at and relative paths start from.</summary>
    [Required]
    public string ProjectFile { get; set; } = string.Empty;

    /// <summary>Gets the experiment projects, each carrying the item's metadata.</summary>
    [Output]
    public ITaskItem[] Projects { get; private set; } = [];

    /// <summary>Gets the published folders, each carrying the item's metadata.</summary>
    [Output]
    public ITaskItem[] PublishedFolders { get; private set; } = [];

    /// <inheritdoc/>
    public override bool Execute()
    {
        var projects = new List<ITaskItem>();
        var folders = new List<ITaskItem>();
        var projectDirectory = Path.GetDirectoryName(Path.GetFullPath(ProjectFile))!;
        foreach (var model in Models)
        {
            var spec = model.ItemSpec;
            var path = Path.GetFullPath(Path.Combine(projectDirectory, spec));
            if (File.Exists(path) && path.EndsWith("proj", StringComparison.OrdinalIgnoreCase))
            {
                projects.Add(Carry(model, path, projectDirectory));
            }
            else if (Directory.Exists(path) && File.Exists(Path.Combine(path, ManifestFiles.FileName)))
            {
                folders.Add(Carry(model, path, projectDirectory));
            }
            else if (Directory.Exists(path))
            {
                var found = Directory.GetFiles(path, "*.csproj");
                if (found.Length == 1)
                {
                    projects.Add(Carry(model, found[0], projectDirectory));
                }
                else
                {
                    TuneDiagnostics.Error(Log, TuneDiagnostics.ModelNotFound, ProjectFile, found.Length == 0
                        ? $"TunePipelineModel '{spec}' is the folder '{path}', which holds neither a {ManifestFiles.FileName} (a published model) nor a project file (an experiment). Point it at the experiment's project folder or .csproj, or at the folder its model was published to (artifacts/<experiment>)."
                        : $"TunePipelineModel '{spec}' is the folder '{path}', which holds {found.Length} project files ({string.Join(", ", found.Select(Path.GetFileName).Order(StringComparer.Ordinal))}). Point it at the experiment's .csproj.");
                }
            }
            else
            {
                TuneDiagnostics.Error(Log, TuneDiagnostics.ModelNotFound, ProjectFile,
                    $"TunePipelineModel '{spec}' names '{path}', which does not exist. Point it at the experiment's project folder or .csproj, or at the folder its model was published to (artifacts/<experiment>).");
            }
        }

        Projects = [.. projects];
        PublishedFolders = [.. folders];
        return !Log.HasLoggedErrors;
    }

    private static TaskItem Carry(ITaskItem model, string path, string projectDirectory)
    {
        var item = new TaskItem(path);
        model.CopyMetadataTo(item);
        item.SetMetadata(SpecMetadata, model.ItemSpec);

        // Where the experiment publishes, relative to the project that names the model, as every path written there is.
        if (model.GetMetadata("Artifacts") is { Length: > 0 } artifacts)
        {
            item.SetMetadata("Artifacts", Path.GetFullPath(Path.Combine(projectDirectory, artifacts)));
        }

        return item;
    }
}
