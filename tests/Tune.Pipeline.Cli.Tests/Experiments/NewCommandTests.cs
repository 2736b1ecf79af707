using Tune.Pipeline.Cli.Experiments;

namespace Tune.Pipeline.Cli.Tests.Experiments;

/// <summary>
/// <c>tune new</c> in a temporary repository holding this repository's template and an empty solution: the real
/// <c>dotnet new</c> and <c>dotnet sln</c> run; nothing is built.
/// </summary>
public sealed class NewCommandTests : IDisposable
{
    private static readonly string RepositoryRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));

    private readonly string _root = Directory.CreateTempSubdirectory("tune-new-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Create_InsideTheRepository_MakesTheExperimentFromTheTemplateAndAddsItToTheSolution()
    {
        CopyTemplate();
        await File.WriteAllTextAsync(Path.Combine(_root, "Tune.Pipeline.sln"), EmptySolution, TestContext.Current.CancellationToken);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await NewCommand.CreateAsync("Iris", Path.Combine(_root, "src"), output, error, TestContext.Current.CancellationToken);

        Assert.True(exitCode == 0, error.ToString());
        var folder = Path.Combine(_root, "experiments", "Iris");
        var project = await File.ReadAllTextAsync(Path.Combine(folder, "Iris.csproj"), TestContext.Current.CancellationToken);
        Assert.Contains("<ProjectType>Experiment</ProjectType>", project, StringComparison.Ordinal);
        Assert.DoesNotContain("Tune.Pipeline.Hosting", project, StringComparison.Ordinal);
        Assert.Contains("[Experiment(\"iris\")]", await File.ReadAllTextAsync(Path.Combine(folder, "IrisExperiment.cs"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "data", "wine_data.csv")));
        Assert.Contains("Iris.csproj", await File.ReadAllTextAsync(Path.Combine(_root, "Tune.Pipeline.sln"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Contains("dotnet cake --target=Sweep --experiment=Iris", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9lives", "is not a valid experiment name")]
    [InlineData("my-experiment", "is not a valid experiment name")]
    [InlineData("Wine", "no folder from")]
    public async Task Create_BadNameOrOutsideTheRepository_IsAUsageErrorSayingWhatToDo(string name, string expected)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exception = await Assert.ThrowsAnyAsync<Exception>(() => NewCommand.CreateAsync(name, _root, output, error, TestContext.Current.CancellationToken));

        Assert.Equal("UsageException", exception.GetType().Name);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "experiments")));
    }

    [Fact]
    public async Task Create_FolderExists_IsAUsageErrorAndLeavesItAlone()
    {
        CopyTemplate();
        await File.WriteAllTextAsync(Path.Combine(_root, "Tune.Pipeline.sln"), EmptySolution, TestContext.Current.CancellationToken);
        var existing = Directory.CreateDirectory(Path.Combine(_root, "experiments", "Wine"));
        await File.WriteAllTextAsync(Path.Combine(existing.FullName, "mine.txt"), "keep", TestContext.Current.CancellationToken);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exception = await Assert.ThrowsAnyAsync<Exception>(() => NewCommand.CreateAsync("Wine", _root, output, error, TestContext.Current.CancellationToken));

        Assert.Contains("already exists", exception.Message, StringComparison.Ordinal);
        Assert.Equal(["mine.txt"], Directory.GetFileSystemEntries(existing.FullName).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Create_SolutionCannotTakeIt_ExitsThreeNamingTheCommandAndRemovesTheFolder()
    {
        CopyTemplate();

        // Not a solution file: `dotnet sln add` refuses it after the template has made the folder.
        await File.WriteAllTextAsync(Path.Combine(_root, "Tune.Pipeline.sln"), "not a solution", TestContext.Current.CancellationToken);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await NewCommand.CreateAsync("Wine", _root, output, error, TestContext.Current.CancellationToken);

        Assert.Equal(3, exitCode);
        Assert.Contains("`dotnet sln ", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "experiments", "Wine")));
    }

    private const string EmptySolution = """

        Microsoft Visual Studio Solution File, Format Version 12.00
        # Visual Studio Version 17
        VisualStudioVersion = 17.0.31903.59
        MinimumVisualStudioVersion = 10.0.40219.1
        Global
        EndGlobal

        """;

    private void CopyTemplate()
    {
        var source = Path.Combine(RepositoryRoot, NewCommand.TemplateFolder);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_root, NewCommand.TemplateFolder, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
