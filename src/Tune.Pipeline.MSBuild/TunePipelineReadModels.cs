using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Task = Microsoft.Build.Utilities.Task;

namespace Tune.Pipeline.MSBuild;

/// <summary>
/// Finds each model's published folder (an experiment project's is where its executable's <c>where</c> verb says it
/// publishes), reads the folder's <c>manifest.json</c> and lists the files to copy: the manifest and every file it names,
/// each with the manifest's size and SHA-256 and the stamp that records a passed check.
/// </summary>
public sealed class TunePipelineReadModels : Task, ICancelableTask
{
    /// <summary>The metadata holding a file's expected SHA-256 (empty for the manifest itself).</summary>
    internal const string Sha256Metadata = "TunePipelineSha256";

    /// <summary>The metadata holding a file's expected size in bytes.</summary>
    internal const string BytesMetadata = "TunePipelineBytes";

    /// <summary>The metadata holding the stamp file written when a model's files pass the check.</summary>
    internal const string StampMetadata = "TunePipelineStamp";

    /// <summary>The metadata holding the manifest a file is listed in.</summary>
    internal const string ManifestMetadata = "TunePipelineManifest";

    private readonly ExperimentProcess _process = new();

    /// <summary>Gets or sets the experiment projects (from <see cref="TunePipelineLocateModels"/>).</summary>
    public ITaskItem[] Projects { get; set; } = [];

    /// <summary>Gets or sets the projects' built assemblies (their <c>GetTargetPath</c>, carrying <c>MSBuildSourceProjectFile</c>).</summary>
    public ITaskItem[] Executables { get; set; } = [];

    /// <summary>Gets or sets the published folders (from <see cref="TunePipelineLocateModels"/>).</summary>
    public ITaskItem[] PublishedFolders { get; set; } = [];

    /// <summary>Gets or sets the consuming project's file, which errors point at.</summary>
    [Required]
    public string ProjectFile { get; set; } = string.Empty;

    /// <summary>Gets or sets the build's configuration, which the experiment project is asked for too (Debug, or Release under <c>dotnet publish</c>).</summary>
    public string Configuration { get; set; } = string.Empty;

    /// <summary>Gets or sets the consuming project's intermediate folder, where the check's stamps go.</summary>
    [Required]
    public string IntermediateDirectory { get; set; } = string.Empty;

    /// <summary>Gets the files to copy: item spec the source's full path, <c>TargetPath</c> the path under the output folder.</summary>
    [Output]
    public ITaskItem[] Files { get; private set; } = [];

    /// <inheritdoc/>
    public void Cancel() => _process.Cancel();

    /// <inheritdoc/>
    public override bool Execute()
    {
        var folders = new List<(ITaskItem Model, string Folder)>();
        foreach (var project in Projects)
        {
            if (PublishedFolderOf(project) is { } folder)
            {
                folders.Add((project, folder));
            }
        }

        folders.AddRange(PublishedFolders.Select(f => (f, f.ItemSpec)));
        var files = new List<ITaskItem>();
        var targets = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (model, folder) in folders)
        {
            var manifestPath = Path.Combine(folder, ManifestFiles.FileName);
            ManifestFiles manifest;
            try
            {
                manifest = ManifestFiles.Read(manifestPath);
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                TuneDiagnostics.Error(Log, TuneDiagnostics.ManifestUnreadable, manifestPath,
                    $"The published model's manifest '{manifestPath}' (TunePipelineModel '{Spec(model)}') cannot be used: {exception.Message}. Publish the model again with the experiment's TunePipelinePublish target (or `dotnet tune retrain`).");
                continue;
            }

            var targetFolder = model.GetMetadata("TargetFolder") is { Length: > 0 } given ? given.Trim().TrimEnd('/', '\\') : manifest.Experiment;
            if (targets.TryGetValue(targetFolder, out var other))
            {
                TuneDiagnostics.Error(Log, TuneDiagnostics.TargetFolderClash, ProjectFile,
                    $"TunePipelineModel '{Spec(model)}' and '{other}' would both be copied to '{targetFolder}' in the output. Give one of them TargetFolder=\"another-folder\".");
                continue;
            }

            targets.Add(targetFolder, Spec(model));
            var stamp = Path.Combine(IntermediateDirectory, "TunePipeline", string.Concat(targetFolder.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_')) + ".checked");
            files.Add(File(manifestPath, Path.Combine(targetFolder, ManifestFiles.FileName), manifestPath, stamp, sha256: string.Empty, bytes: -1));
            foreach (var listed in manifest.Files)
            {
                var source = Path.GetFullPath(Path.Combine(folder, listed.Path));
                if (!System.IO.File.Exists(source))
                {
                    TuneDiagnostics.Error(Log, TuneDiagnostics.ModelAltered, manifestPath,
                        $"The published model of '{manifest.Experiment}' lacks '{listed.Path}', which its manifest lists (expected in '{folder}'). Publish the model again with the experiment's TunePipelinePublish target, or restore the file.");
                    continue;
                }

                files.Add(File(source, Path.Combine(targetFolder, listed.Path), manifestPath, stamp, listed.Sha256, listed.Bytes));
            }
        }

        Files = [.. files];
        return !Log.HasLoggedErrors;
    }

    private static TaskItem File(string source, string targetPath, string manifest, string stamp, string sha256, long bytes)
    {
        var item = new TaskItem(source);
        item.SetMetadata("TargetPath", targetPath);
        item.SetMetadata(ManifestMetadata, manifest);
        item.SetMetadata(StampMetadata, stamp);
        item.SetMetadata(Sha256Metadata, sha256);
        item.SetMetadata(BytesMetadata, bytes.ToString(CultureInfo.InvariantCulture));
        return item;
    }

    private static string Spec(ITaskItem model) =>
        model.GetMetadata(TunePipelineLocateModels.SpecMetadata) is { Length: > 0 } spec ? spec : model.ItemSpec;

    /// <summary>Asks the experiment's executable where it publishes; logs an error and returns null when that fails or nothing is published.</summary>
    private string? PublishedFolderOf(ITaskItem project)
    {
        var projectPath = project.ItemSpec;
        var name = Path.GetFileName(projectPath);
        var executable = Executables.FirstOrDefault(e => string.Equals(Path.GetFullPath(e.GetMetadata("MSBuildSourceProjectFile")), projectPath, StringComparison.OrdinalIgnoreCase))?.ItemSpec;
        if (executable is null || !System.IO.File.Exists(executable))
        {
            TuneDiagnostics.Error(Log, TuneDiagnostics.NotAnExecutable, ProjectFile,
                $"TunePipelineModel '{Spec(project)}' is the experiment project '{projectPath}', which has not been built{(executable is null ? string.Empty : $" ('{executable}' is missing)")}. Build it first (`dotnet build {projectPath}{(Configuration.Length > 0 ? $" -c {Configuration}" : string.Empty)}`), or set TunePipelinePublishBeforeBuild=true to build and publish it before this build.");
            return null;
        }

        var arguments = new List<string> { "where", "--json" };
        if (project.GetMetadata("Artifacts") is { Length: > 0 } artifacts)
        {
            arguments.Add("--artifacts");
            arguments.Add(artifacts);
        }

        var workingDirectory = Path.GetDirectoryName(projectPath)!;
        ExperimentRun run;
        try
        {
            run = _process.Run(executable, arguments, workingDirectory, onOutput: null, line => Log.LogMessage(MessageImportance.Normal, line));
        }
        catch (Win32Exception exception)
        {
            TuneDiagnostics.Error(Log, TuneDiagnostics.VerbFailed, ProjectFile,
                $"Could not start '{ExperimentProcess.DotnetHost}' to ask {name} where it publishes: {exception.Message}. Check that the .NET SDK's dotnet is on PATH or DOTNET_HOST_PATH names it.");
            return null;
        }

        var shown = ExperimentProcess.Show(executable, arguments);
        if (run.ExitCode != 0 || Where.Parse(run.Output) is not { } where)
        {
            var said = run.ErrorLines.Count > 0 ? string.Join(" ", run.ErrorLines) : $"it printed '{run.Output.Trim()}'";
            TuneDiagnostics.Error(Log, TuneDiagnostics.VerbFailed, ProjectFile, string.Create(CultureInfo.InvariantCulture,
                $"The experiment's 'where' verb exited with code {run.ExitCode} ({said}; ran {shown} in {workingDirectory}). Build {name} against a Tune.Pipeline.Hosting of this version, which has the 'where' verb."));
            return null;
        }

        if (!where.HasModel)
        {
            TuneDiagnostics.Error(Log, TuneDiagnostics.NoPublishedModel, ProjectFile,
                $"Experiment '{where.Experiment}' ({projectPath}) has no published model: '{where.Published}' holds no {ManifestFiles.FileName}. Publish one with `dotnet build {projectPath} -t:TunePipelineSweep` (sweep, then retrain the best and publish it) or `-t:TunePipelinePublish` (retrain a recorded sweep's best), or set TunePipelinePublishBeforeBuild=true here.");
            return null;
        }

        return where.Published;
    }

    /// <summary>What <c>where --json</c> prints.</summary>
    private sealed record Where(string Experiment, string Published, bool HasModel)
    {
        public static Where? Parse(string output)
        {
            var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            if (line is null)
            {
                return null;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                return root.ValueKind == JsonValueKind.Object
                    && root.TryGetProperty("experiment", out var experiment) && experiment.ValueKind == JsonValueKind.String
                    && root.TryGetProperty("published", out var published) && published.ValueKind == JsonValueKind.String
                    && root.TryGetProperty("hasModel", out var hasModel) && hasModel.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? new Where(experiment.GetString()!, published.GetString()!, hasModel.GetBoolean())
                    : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
