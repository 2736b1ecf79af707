using Tune.Pipeline.Launcher;

namespace Tune.Pipeline.Cli.Tests.Launcher;

/// <summary>The `dotnet tune` launcher's decisions, over a temp repository with a fake build.</summary>
public sealed class CliLauncherTests : IDisposable
{
    private static readonly DateTime Built = new(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly string _root = Directory.CreateTempSubdirectory("tune-launcher-").FullName;

    public CliLauncherTests()
    {
        Write("src/Tune.Pipeline.Cli/Tune.Pipeline.Cli.csproj", Built.AddHours(-1));
        Write("src/Tune.Pipeline/Sweeps/Sweep.cs", Built.AddHours(-1));
        Write("build/Common.props", Built.AddHours(-1));
        Write("Directory.Packages.props", Built.AddHours(-1));
        Write("artifacts/bin/Tune.Pipeline.Cli/release/tune.dll", Built);
        Write("artifacts/bin/Tune.Pipeline.Cli/release/tune.launcher-stamp", Built);
    }

    private string Assembly => Path.Combine(_root, "artifacts/bin/Tune.Pipeline.Cli/release/tune.dll");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void FindRoot_FromASubfolder_ReturnsTheFolderHoldingTheCliProject()
    {
        var root = CliLauncher.FindRoot(Path.Combine(_root, "src", "Tune.Pipeline", "Sweeps"));

        Assert.Equal(_root, root);
    }

    [Fact]
    public void FindRoot_OutsideARepository_ReturnsNull()
    {
        var elsewhere = Directory.CreateTempSubdirectory("tune-elsewhere-").FullName;

        var root = CliLauncher.FindRoot(elsewhere);

        Directory.Delete(elsewhere);
        Assert.Null(root);
    }

    [Fact]
    public void IsStale_NothingWrittenSinceTheLastBuild_IsFalse()
    {
        Assert.False(CliLauncher.IsStale(_root, Assembly));
    }

    [Theory]
    [InlineData("src/Tune.Pipeline/Sweeps/Sweep.cs")]
    [InlineData("src/Tune.Pipeline.Stores/SqlSweepStore.Queries.cs")]
    [InlineData("build/Common.props")]
    [InlineData("Directory.Packages.props")]
    public void IsStale_SourceOrSettingWrittenAfterTheLastBuild_IsTrue(string file)
    {
        Write(file, Built.AddMinutes(1));

        Assert.True(CliLauncher.IsStale(_root, Assembly));
    }

    [Theory]
    [InlineData("artifacts/bin/Tune.Pipeline.Cli/release/tune.dll")]
    [InlineData("artifacts/bin/Tune.Pipeline.Cli/release/tune.launcher-stamp")]
    public void IsStale_BuildOutputOrStampMissing_IsTrue(string file)
    {
        File.Delete(Path.Combine(_root, file));

        Assert.True(CliLauncher.IsStale(_root, Assembly));
    }

    [Fact]
    public void IsStale_NoBuildFolder_ComparesTheRest()
    {
        Directory.Delete(Path.Combine(_root, "build"), recursive: true);

        Assert.False(CliLauncher.IsStale(_root, Assembly));
    }

    [Fact]
    public void IsStale_BuildOutputUnderSrcWrittenLater_IsIgnored()
    {
        Write("src/Tune.Pipeline/obj/Generated.cs", Built.AddMinutes(1));
        Write("src/Tune.Pipeline/bin/Tune.Pipeline.deps.json", Built.AddMinutes(1));

        Assert.False(CliLauncher.IsStale(_root, Assembly));
    }

    private void Write(string file, DateTime time)
    {
        var path = Path.Combine(_root, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, file);
        File.SetLastWriteTimeUtc(path, time);
    }
}
