namespace Tune.Pipeline.Cli.Tests.Experiments;

/// <summary>
/// `tune sweep` on a tiny project outside the repository (no package to restore, nothing of ours to build), for what
/// happens before the experiment runs.
/// </summary>
public sealed class ExperimentCommandTests : IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("tune-project-").FullName;

    public ExperimentCommandTests()
    {
        File.WriteAllText(Path.Combine(_project, "Broken.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(_project, "Program.cs"), "int answer = \"forty-two\";");
    }

    public void Dispose() => Directory.Delete(_project, recursive: true);

    [Fact]
    public async Task Sweep_ProjectThatDoesNotCompile_ExitsOneShowingTheCompilerError()
    {
        var (code, output, error) = await Tune.RunAsync("sweep", _project, "--max-trials", "3");

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.StartsWith($"Building {Path.Combine(_project, "Broken.csproj")} (Release) failed with exit code 1:", error, StringComparison.Ordinal);
        Assert.Contains("Program.cs(1,14): error CS0029", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_NoBuildOnAProjectNeverBuilt_ExitsTwoSayingWhatIsMissing()
    {
        var (code, _, error) = await Tune.RunAsync("sweep", "--no-build", Path.Combine(_project, "Broken.csproj"));

        Assert.Equal(2, code);
        Assert.Contains("has not been built in Release", error, StringComparison.Ordinal);
        Assert.Contains("Leave out --no-build", error, StringComparison.Ordinal);
    }
}
