using System.Reflection;
using Tune.Pipeline.Testing;

namespace Tune.Pipeline.Packages.Tests;

/// <summary>
/// The path of a user who has never seen this repository, in one test because each step needs the one before: pack the
/// solution, then in a temporary folder outside the repository, with those packages as the only source of ours, install
/// the tool and the template, create an experiment, build it (and see a search-space mistake as a TUNE error from the
/// package), sweep it with <c>dotnet tune</c> and list the sweep.
/// </summary>
/// <remarks>
/// The packages get a version of their own per run (<c>-p:PackageVersion</c>; the assemblies are not rebuilt for it)
/// and NuGet a packages folder of its own, so no package of ours cached by an earlier run can stand in for today's;
/// third-party packages come from the machine's packages folder (as a fallback folder) or its NuGet source.
/// </remarks>
public sealed class OutsideTheRepositoryTests : IDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(5);

    private readonly string _root = Path.GetFullPath(Path.Combine(Snapshot.ProjectDirectory(), "..", ".."));
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("tune-packages-");
    private readonly string _version = $"0.1.0-e2e.g{Guid.NewGuid():N}";
    private readonly Dictionary<string, string> _environment;

    public OutsideTheRepositoryTests()
    {
        _environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_work.FullName, "packages") };
    }

    private string Feed => Path.Combine(_work.FullName, "feed");

    private string User => Path.Combine(_work.FullName, "user");

    private string Experiment => Path.Combine(User, "Wine");

    [Fact]
    public async Task Packages_TemplateAndTool_WorkOutsideTheRepository()
    {
        await PackAsync();
        WriteNuGetConfig();
        await InstallToolAndTemplateAsync();
        await CreateAndBuildAsync();
        await SwappedBound_FailsWithTheTuneErrorAsync();
        await SweepAndListAsync();

        // After Tune.Pipeline.MSBuild is merged: `dotnet build -t:TunePipelineSweep` here, then an application with a
        // <TunePipelineModel Include="../Wine" /> item that loads the copied model and predicts, and a tampered model
        // that fails that build with the TUNE error.
    }

    public void Dispose()
    {
        // Build servers started by the builds above keep files open on some systems; what cannot be deleted stays in /tmp.
        try
        {
            _work.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task PackAsync()
    {
        // What `dotnet cake --target=Pack` runs, into this test's feed, with this run's version. In this test run's own
        // configuration rather than Pack's Release: `dotnet test Tune.Pipeline.sln` has just built every project in it,
        // so packing adds little (a Release build here took over 5 minutes beside the other test projects), and the
        // packages hold the same files either way.
        var configuration = typeof(OutsideTheRepositoryTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        // The machine's NuGet settings, not this test's packages folder: the repository's restore must not move.
        var pack = await DotnetProcess.RunAsync(_root, new Dictionary<string, string>(), TimeSpan.FromMinutes(15), "pack", Path.Combine(_root, "Tune.Pipeline.sln"), "-c", configuration, "-nologo",
            $"-p:PackageVersion={_version}", $"-p:TunePipelinePackageOutputPath={Feed}");
        Assert.True(pack.ExitCode == 0, pack.ToString());
        string[] expected =
        [
            "Tune.Pipeline", "Tune.Pipeline.Azure", "Tune.Pipeline.Hosting", "Tune.Pipeline.MLflow", "Tune.Pipeline.PostgreSql",
            "Tune.Pipeline.Publishing", "Tune.Pipeline.Reporting", "Tune.Pipeline.Sqlite", "Tune.Pipeline.Stores",
            "Tune.Pipeline.Templates", "Tune.Pipeline.Tool",
        ];
        var packed = Directory.GetFiles(Feed, "*.nupkg").Select(p => Path.GetFileName(p)).ToHashSet(StringComparer.Ordinal);
        foreach (var id in expected)
        {
            Assert.Contains($"{id}.{_version}.nupkg", packed);
        }
    }

    private void WriteNuGetConfig()
    {
        // Ours only from the feed (package source mapping), everything else from the machine's source (its mirror of
        // nuget.org here) or the packages it already holds.
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        Directory.CreateDirectory(User);
        File.WriteAllText(Path.Combine(User, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="tune-pipeline" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="tune-pipeline"><package pattern="Tune.Pipeline*" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
              <fallbackPackageFolders>
                <add key="machine" value="{machinePackages}" />
              </fallbackPackageFolders>
            </configuration>
            """);
    }

    private async Task InstallToolAndTemplateAsync()
    {
        Assert.Equal(0, (await DotnetAsync(User, "new", "tool-manifest")).ExitCode);
        var tool = await DotnetAsync(User, "tool", "install", "Tune.Pipeline.Tool", "--version", _version);
        Assert.True(tool.ExitCode == 0, tool.ToString());
        var manifest = Directory.GetFiles(User, "dotnet-tools.json", SearchOption.AllDirectories).Single();
        Assert.Contains("dotnet-tune", File.ReadAllText(manifest), StringComparison.Ordinal);

        // A template hive of this test's own: the user's installed templates stay as they are.
        var template = await DotnetAsync(User, "new", "install", Path.Combine(Feed, $"Tune.Pipeline.Templates.{_version}.nupkg"), "--debug:custom-hive", Hive);
        Assert.True(template.ExitCode == 0, template.ToString());
    }

    private string Hive => Path.Combine(_work.FullName, "hive");

    private async Task CreateAndBuildAsync()
    {
        var created = await DotnetAsync(User, "new", "tune-experiment", "-n", "Wine", "--debug:custom-hive", Hive);
        Assert.True(created.ExitCode == 0, created.ToString());
        foreach (var file in new[] { "Wine.csproj", "WineExperiment.cs", "Program.cs", "sweep.yaml", "data/wine_data.csv", "data/README.md" })
        {
            Assert.True(File.Exists(Path.Combine(Experiment, file)), $"the template made no {file}");
        }

        // The template references the packages it was packed with, as packages (not this repository's projects).
        var project = File.ReadAllText(Path.Combine(Experiment, "Wine.csproj"));
        Assert.Contains($"<PackageReference Include=\"Tune.Pipeline\" Version=\"{_version}\" />", project, StringComparison.Ordinal);
        Assert.Contains($"<PackageReference Include=\"Tune.Pipeline.Hosting\" Version=\"{_version}\" />", project, StringComparison.Ordinal);
        Assert.DoesNotContain("ProjectReference", project, StringComparison.Ordinal);

        var build = await DotnetAsync(Experiment, "build", "-nologo");
        Assert.True(build.ExitCode == 0, build.ToString());

        // A SQLite-only experiment carries no PostgreSQL, MLflow or Azure (nor their Azure.Identity and MSAL).
        var output = Path.Combine(Experiment, "bin", "Debug", "net10.0");
        var assemblies = Directory.GetFiles(output, "*.dll").Select(p => Path.GetFileName(p)).ToList();
        Assert.Contains("Tune.Pipeline.Hosting.dll", assemblies);
        Assert.Contains("Tune.Pipeline.Sqlite.dll", assemblies);
        foreach (var unwanted in new[] { "Npgsql", "Azure.", "Microsoft.Identity", "Tune.Pipeline.PostgreSql", "Tune.Pipeline.MLflow", "Tune.Pipeline.Azure" })
        {
            Assert.DoesNotContain(assemblies, a => a.StartsWith(unwanted, StringComparison.Ordinal));
        }
    }

    private async Task SwappedBound_FailsWithTheTuneErrorAsync()
    {
        var source = Path.Combine(Experiment, "WineExperiment.cs");
        var original = File.ReadAllText(source);
        const string Declared = "[LogUniform(1e-6, 1.0)]\n        public double L2Regularization";
        Assert.Contains(Declared, original.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        File.WriteAllText(source, original.ReplaceLineEndings("\n").Replace(Declared, "[LogUniform(1.0, 1e-6)]\n        public double L2Regularization", StringComparison.Ordinal));
        try
        {
            var build = await DotnetAsync(Experiment, "build", "-nologo");
            Assert.NotEqual(0, build.ExitCode);

            // From the generator inside the Tune.Pipeline package. That it stands alone (no CS0103 cascade from the
            // missing generated space) is asserted once the generator emits a stub on errors (issue 12, item 5).
            Assert.Contains("error TUNE0201: Parameter 'L2Regularization' has Min 1 and Max 1E-06", build.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.WriteAllText(source, original);
        }
    }

    private async Task SweepAndListAsync()
    {
        // From the user's folder, as a path: the tool builds the project and runs its sweep verb.
        var sweep = await DotnetAsync(User, "tune", "sweep", "Wine/Wine.csproj", "--config", "Wine/sweep.yaml", "--sweep", "e2e", "--max-trials", "4", "--agents", "1");
        Assert.True(sweep.ExitCode == 0, sweep.ToString());

        // The sweep home is the experiment's folder (no repository or solution above it): store and published model there.
        Assert.True(File.Exists(Path.Combine(Experiment, ".tune", "tune.db")), sweep.ToString());
        Assert.True(File.Exists(Path.Combine(Experiment, "artifacts", "wine", "model.zip")), sweep.ToString());
        Assert.True(File.Exists(Path.Combine(Experiment, "artifacts", "wine", "manifest.json")), sweep.ToString());

        var list = await DotnetAsync(Experiment, "tune", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        var row = list.Output.Split('\n').SingleOrDefault(l => l.StartsWith("e2e ", StringComparison.Ordinal));
        Assert.True(row is not null, list.ToString());
        Assert.Contains("closed (MaxTrials)", row, StringComparison.Ordinal);
        Assert.Contains(" 4 ", row, StringComparison.Ordinal);
    }

    private Task<DotnetProcess.Result> DotnetAsync(string workingDirectory, params string[] arguments) =>
        DotnetProcess.RunAsync(workingDirectory, _environment, Step, arguments);
}
