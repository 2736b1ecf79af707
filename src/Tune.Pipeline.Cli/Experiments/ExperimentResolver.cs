using System.Text.RegularExpressions;
using Tune.Pipeline.Hosting;

namespace Tune.Pipeline.Cli.Experiments;

/// <summary>An experiment project found on disk: its project file and the names it answers to.</summary>
/// <param name="ProjectPath">The .csproj's full path.</param>
/// <param name="Names">The names in its <c>[Experiment("...")]</c> attributes, first as declared.</param>
internal sealed record ExperimentProject(string ProjectPath, IReadOnlyList<string> Names)
{
    /// <summary>Gets the project folder's name (for example BreastCancer).</summary>
    public string FolderName => Path.GetFileName(Path.GetDirectoryName(ProjectPath)!);

    /// <summary>Gets the project file's name without .csproj.</summary>
    public string ProjectName => Path.GetFileNameWithoutExtension(ProjectPath);

    /// <summary>Gets the name to show: the experiment's own name when it declares one, else the folder's.</summary>
    public string DisplayName => Names.Count > 0 ? Names[0] : FolderName;
}

/// <summary>
/// Finds the experiment project that <c>tune sweep &lt;experiment&gt;</c> names: a project folder or .csproj, or a name
/// matched against the projects under the repository's <c>experiments/</c> folder.
/// </summary>
internal static partial class ExperimentResolver
{
    /// <summary>The folder, under the repository root, that holds experiment projects.</summary>
    public const string ExperimentsFolder = "experiments";

    /// <summary>Finds the repository root: the nearest folder at or above <paramref name="start"/> holding Tune.Pipeline.sln or experiments/.</summary>
    /// <param name="start">The folder to start from.</param>
    /// <returns>The root, or <see langword="null"/> outside a repository.</returns>
    public static string? FindRepositoryRoot(string start)
    {
        for (var folder = new DirectoryInfo(Path.GetFullPath(start)); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Tune.Pipeline.sln")) || Directory.Exists(Path.Combine(folder.FullName, ExperimentsFolder)))
            {
                return folder.FullName;
            }
        }

        return null;
    }

    /// <summary>Lists the experiment projects in <c>&lt;root&gt;/experiments/*/</c>, by folder name.</summary>
    /// <param name="root">The repository root.</param>
    /// <returns>The projects; empty when the folder is missing.</returns>
    public static IReadOnlyList<ExperimentProject> List(string root)
    {
        var folder = Path.Combine(root, ExperimentsFolder);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(folder)
            .Order(StringComparer.Ordinal)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.csproj").Order(StringComparer.Ordinal))
            .Select(Describe)];
    }

    /// <summary>Resolves what the user typed to one project file.</summary>
    /// <param name="text">A project folder, a .csproj, or an experiment's name.</param>
    /// <param name="currentDirectory">The folder relative paths and the repository search start from.</param>
    /// <returns>The project.</returns>
    /// <exception cref="UsageException">Nothing, or more than one project, matches; the message says what to pass instead.</exception>
    public static ExperimentProject Resolve(string text, string currentDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var path = Path.GetFullPath(text, currentDirectory);
        if (File.Exists(path))
        {
            return path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase)
                ? Describe(path)
                : throw new UsageException($"'{text}' is a file but not a project file. Pass an experiment's project folder, its .csproj, or its name.");
        }

        if (Directory.Exists(path))
        {
            var projects = Directory.GetFiles(path, "*.csproj");
            return projects.Length switch
            {
                1 => Describe(projects[0]),
                0 => throw new UsageException($"Folder '{path}' holds no project file (.csproj). Pass an experiment's project folder, its .csproj, or its name."),
                _ => throw new UsageException($"Folder '{path}' holds {projects.Length} project files ({string.Join(", ", projects.Select(Path.GetFileName).Order(StringComparer.Ordinal))}). Pass the .csproj to use."),
            };
        }

        if (text.Contains('/', StringComparison.Ordinal) || text.Contains('\\', StringComparison.Ordinal) || text.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"No project folder or .csproj at '{path}'. Check the path, or pass an experiment's name.");
        }

        return ResolveName(text, currentDirectory);
    }

    private static ExperimentProject ResolveName(string name, string currentDirectory)
    {
        var root = FindRepositoryRoot(currentDirectory)
            ?? throw new UsageException(
                $"'{name}' is not a project folder, and no repository (a folder holding Tune.Pipeline.sln or {ExperimentsFolder}/) contains '{currentDirectory}' to look the name up in. Pass the experiment's project folder or .csproj.");
        var experiments = List(root);
        var matches = experiments.Where(e => e.Names.Append(e.FolderName).Append(e.ProjectName).Contains(name, StringComparer.OrdinalIgnoreCase)).ToList();
        if (matches.Count == 1)
        {
            return matches[0];
        }

        var folder = Path.Combine(root, ExperimentsFolder);
        if (matches.Count > 1)
        {
            throw new UsageException($"'{name}' names {matches.Count} experiments in {folder}: {Describe(root, matches)}. Pass the project folder instead.");
        }

        if (experiments.Count == 0)
        {
            throw new UsageException($"No experiment '{name}' in {folder}: it holds no experiment project. Pass the experiment's project folder or .csproj.");
        }

        var suggestion = NameSuggester.Suggest(name, experiments.SelectMany(e => e.Names.Append(e.FolderName)));
        var didYouMean = suggestion is null ? string.Empty : $" Did you mean '{suggestion}'?";
        throw new UsageException($"No experiment '{name}' in {folder}.{didYouMean} Experiments: {Describe(root, experiments)}.");
    }

    private static string Describe(string root, IEnumerable<ExperimentProject> experiments) =>
        string.Join(", ", experiments.Select(e => $"{e.DisplayName} ({Path.GetRelativePath(root, Path.GetDirectoryName(e.ProjectPath)!).Replace('\\', '/')})"));

    private static ExperimentProject Describe(string projectPath)
    {
        // The names come from the sources, not the compiled assembly, so that a name resolves before anything is built.
        var folder = Path.GetDirectoryName(projectPath)!;
        var names = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(folder, f))
            .Order(StringComparer.Ordinal)
            .SelectMany(f => ExperimentAttribute().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new ExperimentProject(projectPath, names);
    }

    private static bool IsBuildOutput(string projectFolder, string file)
    {
        var first = Path.GetRelativePath(projectFolder, file).Split(Path.DirectorySeparatorChar)[0];
        return first is "bin" or "obj";
    }

    [GeneratedRegex("""\[\s*(?:global::)?(?:Tune\.Pipeline\.)?Experiment(?:Attribute)?\s*\(\s*"(?<name>[^"]+)"\s*\)""")]
    private static partial Regex ExperimentAttribute();
}
