using System.Reflection;
using Tune.Pipeline.Testing;

namespace Tune.Pipeline.Packages.Tests;

/// <summary>
/// The path of a user who has never seen this repository, in one test because each step needs the one before: pack the
/// solution, then in a temporary folder outside the repository, with those packages as the only source of ours, install
/// the tool and the template, create an experiment, build it (and see a search-space mistake as a TUNE error from the
/// package), sweep it with <c>dotnet tune</c> and list the sweep, sweep it again with <c>dotnet build
/// -t:TunePipelineSweep</c>, then build an application whose <c>TunePipelineModel</c> item copies the published model
/// (it loads it and predicts) and see a tampered model fail that build with the TUNE error.
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
        await SweepWithMSBuildAsync();
        await ApplicationWithTheModelAsync();
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
            "Tune.Pipeline", "Tune.Pipeline.Azure", "Tune.Pipeline.Gpu", "Tune.Pipeline.Hosting", "Tune.Pipeline.Kubernetes", "Tune.Pipeline.MLflow",
            "Tune.Pipeline.MSBuild", "Tune.Pipeline.PostgreSql",
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

            // From the generator inside the Tune.Pipeline package, and alone: the generator emits a stub of the space on
            // an error, so Program.cs's use of WineSearchSpace adds no CS0103 cascade.
            Assert.Contains("error TUNE0201: Parameter 'L2Regularization' has Min 1 and Max 1E-06", build.Output, StringComparison.Ordinal);
            var errors = build.Output.Split('\n').Where(l => l.Contains(": error ", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct().ToList();
            Assert.True(errors.TrueForAll(l => l.Contains("error TUNE", StringComparison.Ordinal)), build.ToString());
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

    private async Task SweepWithMSBuildAsync()
    {
        // The build-time package in the experiment, as a user adds it; its targets run the experiment's own sweep verb.
        var project = Path.Combine(Experiment, "Wine.csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace("</Project>", $"""
              <ItemGroup>
                <PackageReference Include="Tune.Pipeline.MSBuild" Version="{_version}" PrivateAssets="all" />
              </ItemGroup>
            </Project>
            """, StringComparison.Ordinal));
        var sweep = await DotnetAsync(Experiment, "build", "-t:TunePipelineSweep", "-nologo", "-p:TunePipelineSweepName=msbuild", "-p:TunePipelineMaxTrials=3", "-p:TunePipelineAgents=1");
        Assert.True(sweep.ExitCode == 0, sweep.ToString());

        var list = await DotnetAsync(Experiment, "tune", "list");
        var row = list.Output.Split('\n').SingleOrDefault(l => l.StartsWith("msbuild ", StringComparison.Ordinal));
        Assert.True(row is not null, list.ToString());
        Assert.Contains("closed (MaxTrials)", row, StringComparison.Ordinal);
        Assert.Contains(" 3 ", row, StringComparison.Ordinal);
    }

    private async Task ApplicationWithTheModelAsync()
    {
        var app = Path.Combine(User, "App");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Tune.Pipeline.MSBuild" Version="{_version}" PrivateAssets="all" />
                <PackageReference Include="Microsoft.ML" Version="5.0.1" />
                <TunePipelineModel Include="../Wine" />
              </ItemGroup>
            </Project>
            """);

        // The first row of the wine data (class 0), scored by the model the experiment published.
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Microsoft.ML;
            using Microsoft.ML.Data;

            var ml = new MLContext(seed: 1);
            var model = ml.Model.Load(Path.Combine(AppContext.BaseDirectory, "wine", "model.zip"), out _);
            var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model);
            float[] features = [14.23f, 1.71f, 2.43f, 15.6f, 127f, 2.8f, 3.06f, 0.28f, 2.29f, 5.64f, 1.04f, 3.92f, 1065f];
            Console.WriteLine($"predicted class {engine.Predict(new Row { Features = features }).PredictedLabel}");

            internal sealed class Row
            {
                [VectorType(13)]
                public float[] Features { get; set; } = [];

                public uint Label { get; set; }
            }

            internal sealed class Prediction
            {
                public uint PredictedLabel { get; set; }
            }
            """);
        var build = await DotnetAsync(app, "build", "-nologo");
        Assert.True(build.ExitCode == 0, build.ToString());
        var output = Path.Combine(app, "bin", "Debug", "net10.0");
        Assert.True(File.Exists(Path.Combine(output, "wine", "manifest.json")), build.ToString());
        var run = await DotnetAsync(app, Path.Combine(output, "App.dll"));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("predicted class 0", run.Output, StringComparison.Ordinal);

        // A published file altered after the manifest was written fails the application's build, naming the file.
        var published = Path.Combine(Experiment, "artifacts", "wine", "model.zip");
        var original = File.ReadAllBytes(published);
        File.WriteAllBytes(published, [.. original, 0]);
        try
        {
            var tampered = await DotnetAsync(app, "build", "-nologo");
            Assert.NotEqual(0, tampered.ExitCode);
            Assert.Contains("error TUNE1003", tampered.Output, StringComparison.Ordinal);
            Assert.Contains("model.zip", tampered.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.WriteAllBytes(published, original);
        }
    }

    private Task<DotnetProcess.Result> DotnetAsync(string workingDirectory, params string[] arguments) =>
        DotnetProcess.RunAsync(workingDirectory, _environment, Step, arguments);
}
