using Tune.Pipeline.Cli.Experiments;

namespace Tune.Pipeline.Cli.Tests.Experiments;

/// <summary>Resolution over a temp repository with fake experiment projects (nothing is built). Failures are Hosting's internal UsageException, which tune turns into exit code 2.</summary>
public sealed class ExperimentResolverTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tune-repo-").FullName;

    public ExperimentResolverTests()
    {
        File.WriteAllText(Path.Combine(_root, "Tune.Pipeline.sln"), string.Empty);
        AddProject("BreastCancer", "BreastCancer.csproj", """[Experiment("breast-cancer")] public sealed partial class BreastCancerExperiment;""");
        AddProject("FaqMatching", "FaqMatching.csproj", """[Tune.Pipeline.Experiment( "faq-matching" )] class Faq;""");
        AddProject("Plain", "Plain.csproj", "class NoAttribute;");
        Directory.CreateDirectory(Path.Combine(_root, "src", "deep"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("breast-cancer", "BreastCancer")]
    [InlineData("BREAST-CANCER", "BreastCancer")]
    [InlineData("breastcancer", "BreastCancer")]
    [InlineData("faq-matching", "FaqMatching")]
    [InlineData("plain", "Plain")]
    public void Resolve_NameFromASubfolder_FindsTheProjectByAttributeOrFolderName(string name, string folder)
    {
        var project = ExperimentResolver.Resolve(name, Path.Combine(_root, "src", "deep"));

        Assert.Equal(Path.Combine(_root, "experiments", folder, $"{folder}.csproj"), project.ProjectPath);
    }

    [Fact]
    public void Resolve_FolderOrProjectFilePath_FindsThatProject()
    {
        var byFolder = ExperimentResolver.Resolve("experiments/FaqMatching", _root);
        var byFile = ExperimentResolver.Resolve(Path.Combine(_root, "experiments", "FaqMatching", "FaqMatching.csproj"), "/");

        Assert.Equal(byFolder.ProjectPath, byFile.ProjectPath);
        Assert.Equal(["faq-matching"], byFolder.Names);
    }

    [Fact]
    public void Resolve_MisspeltName_SuggestsTheNearestAndListsTheExperiments()
    {
        var error = Assert.ThrowsAny<Exception>(() => ExperimentResolver.Resolve("breast-cancr", _root));

        Assert.Equal(
            $"No experiment 'breast-cancr' in {_root}/experiments. Did you mean 'breast-cancer'? Experiments: breast-cancer (experiments/BreastCancer), faq-matching (experiments/FaqMatching), Plain (experiments/Plain).",
            error.Message);
    }

    [Fact]
    public void Resolve_FolderWithoutProject_SaysSo()
    {
        var error = Assert.ThrowsAny<Exception>(() => ExperimentResolver.Resolve("src", _root));

        Assert.Equal($"Folder '{Path.Combine(_root, "src")}' holds no project file (.csproj). Pass an experiment's project folder, its .csproj, or its name.", error.Message);
    }

    [Fact]
    public async Task Sweep_MissingProjectPath_ExitsTwoWithoutBuildingAnything()
    {
        var missing = Path.Combine(_root, "experiments", "Nope");

        var (code, output, error) = await Tune.RunAsync("sweep", missing, "--max-trials", "3");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal($"No project folder or .csproj at '{missing}'. Check the path, or pass an experiment's name.{Environment.NewLine}", error);
    }

    private void AddProject(string folder, string project, string source)
    {
        var directory = Path.Combine(_root, "experiments", folder);
        Directory.CreateDirectory(Path.Combine(directory, "obj"));
        File.WriteAllText(Path.Combine(directory, project), "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        File.WriteAllText(Path.Combine(directory, "Experiment.cs"), source);

        // Build output must not add names: a stale generated copy could carry an old one.
        File.WriteAllText(Path.Combine(directory, "obj", "Stale.cs"), """[Experiment("stale-name")] class Stale;""");
    }
}
