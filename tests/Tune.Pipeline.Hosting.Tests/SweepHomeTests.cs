using Tune.Pipeline.Stores.Sqlite;

namespace Tune.Pipeline.Hosting.Tests;

/// <summary>Where a sweep's default store and artifacts live, whatever folder a command runs in.</summary>
public sealed class SweepHomeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tune-home-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void ForProject_UnderARepository_IsTheRepositoryRootFromAnyFolder()
    {
        var repository = Directory.CreateDirectory(Path.Combine(_directory, "repo")).FullName;
        Directory.CreateDirectory(Path.Combine(repository, ".git"));
        var project = Directory.CreateDirectory(Path.Combine(repository, "experiments", "Quadratic")).FullName;
        var elsewhere = Directory.CreateDirectory(Path.Combine(_directory, "elsewhere")).FullName;

        var fromProject = SweepHome.ForProject(project, project, _ => null);
        var fromElsewhere = SweepHome.ForProject(project, elsewhere, _ => null);

        Assert.Equal(repository, fromProject.Directory);
        Assert.Equal(repository, fromElsewhere.Directory);
        Assert.Equal(Path.Combine(repository, ".tune", "tune.db"), fromElsewhere.DefaultStore);
        Assert.Equal(Path.Combine(repository, "artifacts"), fromElsewhere.Artifacts);
    }

    [Fact]
    public void ForDirectory_BelowASolution_IsTheSolutionsFolder()
    {
        var solution = Directory.CreateDirectory(Path.Combine(_directory, "sln")).FullName;
        File.WriteAllText(Path.Combine(solution, "Team.slnx"), "<Solution />");
        var deep = Directory.CreateDirectory(Path.Combine(solution, "a", "b")).FullName;

        Assert.Equal(solution, SweepHome.ForDirectory(deep, _ => null).Directory);
    }

    [Fact]
    public void ForDirectory_NoRepositoryOrSolutionAbove_IsTheFolderItself()
    {
        Assert.Equal(_directory, SweepHome.ForDirectory(_directory, _ => null).Directory);
    }

    [Fact]
    public void ForProject_TuneHomeSet_WinsOverTheProjectsRepository()
    {
        Directory.CreateDirectory(Path.Combine(_directory, ".git"));
        var chosen = Path.Combine(_directory, "chosen");

        var home = SweepHome.ForProject(_directory, _directory, name => name == SweepHome.Variable ? chosen : null);

        Assert.Equal(chosen, home.Directory);
    }

    [Fact]
    public void ForProject_ProjectFolderGone_SearchesFromTheCurrentFolder()
    {
        Directory.CreateDirectory(Path.Combine(_directory, ".git"));
        var below = Directory.CreateDirectory(Path.Combine(_directory, "copied", "bin")).FullName;

        Assert.Equal(_directory, SweepHome.ForProject("/nowhere/that/exists", below, _ => null).Directory);
    }

    [Fact]
    public async Task Status_SweepInAnotherStoreBelowTheHome_NamesThatStore()
    {
        Directory.CreateDirectory(Path.Combine(_directory, ".git"));
        var nested = Directory.CreateDirectory(Path.Combine(_directory, "experiments", "Quadratic")).FullName;
        var nestedStore = Path.Combine(nested, SqliteSweepStore.DefaultPath);
        var swept = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--sweep", "s3", "--store", nestedStore, "--max-trials", "2", "--agents", "1", "--no-publish");
        Assert.True(swept.ExitCode == 0, swept.Error);
        var before = await File.ReadAllBytesAsync(nestedStore, TestContext.Current.CancellationToken);

        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, "status", "--sweep", "s3");

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Contains($"Sweep 's3' is in {nestedStore}: pass --store {nestedStore}.", error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(nestedStore, TestContext.Current.CancellationToken));
    }
}
