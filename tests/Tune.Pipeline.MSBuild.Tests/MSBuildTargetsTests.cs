namespace Tune.Pipeline.MSBuild.Tests;

public sealed class MSBuildTargetsTests(SweptExperiment experiment) : IClassFixture<SweptExperiment>
{
    private BuildFolder Folder => experiment.Folder;

    [Fact]
    public void TunePipelineSweep_InAnExperimentProject_SweepsWithItsPropertiesAndPublishes()
    {
        Assert.True(experiment.SweepCode == 0, experiment.SweepOutput);
        Assert.Contains("Running dotnet Quadratic.dll sweep --sweep msbuild --max-trials 3 --seed 1 in ", experiment.SweepOutput, StringComparison.Ordinal);
        Assert.Contains("trial 2 completed", experiment.SweepOutput, StringComparison.Ordinal);
        Assert.Contains("Sweep 'msbuild' ended (MaxTrials): 3 trials, 3 completed.", experiment.SweepOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(experiment.Published, "model.txt")));
        Assert.Contains("\"name\": \"msbuild\"", File.ReadAllText(Path.Combine(experiment.Published, "manifest.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TunePipelineSweep_AgainWithTheSameSweepName_FailsWithTune1005NamingTheProperty()
    {
        Assert.True(experiment.SweepCode == 0, experiment.SweepOutput);

        var (code, output) = await BuildFolder.BuildAsync(experiment.Project, "-t:TunePipelineSweep");

        Assert.NotEqual(0, code);
        Assert.Contains("error TUNE1005: The experiment's 'sweep' verb exited with code 2 (usage error): Sweep 'msbuild' already exists in ", output, StringComparison.Ordinal);
        Assert.Contains("(--sweep is TunePipelineSweepName, --resume is TunePipelineResume=true.)", output, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Fact]
    public async Task TunePipelineModel_OfAnExperimentProject_CopiesTheModelAndManifest_AndASecondBuildCopiesNothing()
    {
        Assert.True(experiment.SweepCode == 0, experiment.SweepOutput);
        var app = Folder.WriteApplication("app-project", """<TunePipelineModel Include="../Exp" />""");

        var (code, output) = await BuildFolder.BuildAsync(app);

        Assert.True(code == 0, output);
        var copied = Path.Combine(OutputOf(app), "QuadraticExperiment");
        Assert.Equal(File.ReadAllBytes(Path.Combine(experiment.Published, "model.txt")), File.ReadAllBytes(Path.Combine(copied, "model.txt")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(experiment.Published, "manifest.json")), File.ReadAllBytes(Path.Combine(copied, "manifest.json")));
        Assert.Equal(File.ReadAllText(Path.Combine(experiment.Published, "model.txt")), (await RunAsync(app)).Trim());

        var before = Times(copied);
        var (again, detail) = await BuildFolder.BuildAsync(app, "-v:d");

        Assert.True(again == 0, detail);
        Assert.Contains("Skipping target \"TunePipelineCheckModels\" because all output files are up-to-date", detail, StringComparison.Ordinal);
        Assert.Contains("Skipping target \"_CopyOutOfDateSourceItemsToOutputDirectory\" because all output files are up-to-date", detail, StringComparison.Ordinal);
        Assert.Equal(before, Times(copied));
    }

    [Fact]
    public async Task TunePipelineModel_OfAPublishedFolderWithAFileChangedAfterPublishing_FailsWithTune1003()
    {
        Assert.True(experiment.SweepCode == 0, experiment.SweepOutput);
        var copy = Path.Combine(Folder.Directory, "published-copy");
        Directory.CreateDirectory(copy);
        foreach (var file in new[] { "model.txt", "manifest.json" })
        {
            File.Copy(Path.Combine(experiment.Published, file), Path.Combine(copy, file));
        }

        var app = Folder.WriteApplication("app-folder", """<TunePipelineModel Include="../published-copy" />""");
        var (code, output) = await BuildFolder.BuildAsync(app);
        Assert.True(code == 0, output);

        await File.WriteAllTextAsync(Path.Combine(copy, "model.txt"), "0.123", TestContext.Current.CancellationToken);
        var (failed, error) = await BuildFolder.BuildAsync(app);

        Assert.NotEqual(0, failed);
        Assert.Contains($"{Path.Combine(copy, "manifest.json")} : error TUNE1003: '{Path.Combine(copy, "model.txt")}' was changed after it was published: it has 5 bytes", error, StringComparison.Ordinal);
        Assert.Contains("Publish the model again with the experiment's TunePipelinePublish target, or restore the published file.", error, StringComparison.Ordinal);
        AssertNoStackTrace(error);
    }

    [Fact]
    public async Task TunePipelineModel_WhenTheExperimentPublishedNothing_FailsWithTune1002NamingWhatToRun()
    {
        Assert.True(experiment.SweepCode == 0, experiment.SweepOutput);
        var empty = Directory.CreateDirectory(Path.Combine(Folder.Directory, "no-artifacts")).FullName;
        var app = Folder.WriteApplication("app-unpublished", $"""<TunePipelineModel Include="../Exp" Artifacts="{empty}" />""");

        var (code, output) = await BuildFolder.BuildAsync(app);

        Assert.NotEqual(0, code);
        Assert.Contains($"error TUNE1002: Experiment 'QuadraticExperiment' ({experiment.Project}) has no published model: '{Path.Combine(empty, "QuadraticExperiment")}' holds no manifest.json. Publish one with `dotnet build {experiment.Project} -t:TunePipelineSweep`", output, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Fact]
    public async Task TunePipelinePublishBeforeBuild_RetrainsTheRecordedSweep_AndCopiesTheFreshModel()
    {
        Assert.True(experiment.SweepCode == 0, experiment.SweepOutput);
        var fresh = Path.Combine(Folder.Directory, "fresh-artifacts");
        var app = Folder.WriteApplication("app-fresh", $"""<TunePipelineModel Include="../Exp/Quadratic.csproj" Artifacts="{fresh}" />""",
            "<TunePipelinePublishBeforeBuild>true</TunePipelinePublishBeforeBuild>");

        var (code, output) = await BuildFolder.BuildAsync(app);

        Assert.True(code == 0, output);
        Assert.Contains($"Running dotnet Quadratic.dll retrain --sweep msbuild --artifacts {fresh} in ", output, StringComparison.Ordinal);
        var published = Path.Combine(fresh, "QuadraticExperiment");
        Assert.Equal(File.ReadAllBytes(Path.Combine(published, "manifest.json")), File.ReadAllBytes(Path.Combine(OutputOf(app), "QuadraticExperiment", "manifest.json")));
        Assert.Equal(File.ReadAllText(Path.Combine(published, "model.txt")), (await RunAsync(app)).Trim());
    }

    [Fact]
    public async Task TunePipelineModel_WithAManifestThatIsNotJson_FailsWithTune1004()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Folder.Directory, "broken-manifest")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "manifest.json"), "{", TestContext.Current.CancellationToken);
        var app = Folder.WriteApplication("app-broken-manifest", """<TunePipelineModel Include="../broken-manifest" />""");

        var (code, output) = await BuildFolder.BuildAsync(app);

        Assert.NotEqual(0, code);
        Assert.Contains($"{Path.Combine(folder, "manifest.json")} : error TUNE1004: The published model's manifest '{Path.Combine(folder, "manifest.json")}' (TunePipelineModel '../broken-manifest') cannot be used: it is not valid JSON", output, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Fact]
    public async Task TunePipelineModel_TwoModelsOfOneExperiment_FailWithTune1007_UnlessOneHasATargetFolder()
    {
        Assert.True(experiment.SweepCode == 0, experiment.SweepOutput);
        foreach (var copy in new[] { "first", "second" })
        {
            Directory.CreateDirectory(Path.Combine(Folder.Directory, copy));
            foreach (var file in new[] { "model.txt", "manifest.json" })
            {
                File.Copy(Path.Combine(experiment.Published, file), Path.Combine(Folder.Directory, copy, file));
            }
        }

        var clash = Folder.WriteApplication("app-clash", """<TunePipelineModel Include="../first;../second" />""");
        var (code, output) = await BuildFolder.BuildAsync(clash);

        Assert.NotEqual(0, code);
        Assert.Contains("error TUNE1007: TunePipelineModel '../second' and '../first' would both be copied to 'QuadraticExperiment' in the output. Give one of them TargetFolder=\"another-folder\".", output, StringComparison.Ordinal);

        var apart = Folder.WriteApplication("app-apart", """
            <TunePipelineModel Include="../first" />
            <TunePipelineModel Include="../second" TargetFolder="baseline" />
            """);
        var (apartCode, apartOutput) = await BuildFolder.BuildAsync(apart);

        Assert.True(apartCode == 0, apartOutput);
        Assert.True(File.Exists(Path.Combine(OutputOf(apart), "baseline", "model.txt")));
        Assert.True(File.Exists(Path.Combine(OutputOf(apart), "QuadraticExperiment", "model.txt")));
    }

    [Fact]
    public async Task TunePipelinePublishBeforeBuild_OnAnExperimentWithoutTheTargets_FailsWithTune1008()
    {
        var directory = Directory.CreateDirectory(Path.Combine(Folder.Directory, "plain")).FullName;
        var plain = Path.Combine(directory, "Plain.csproj");
        await File.WriteAllTextAsync(plain, """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
            </Project>
            """, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "Program.cs"), "return 0;", TestContext.Current.CancellationToken);
        var app = Folder.WriteApplication("app-plain", """<TunePipelineModel Include="../plain" />""", "<TunePipelinePublishBeforeBuild>true</TunePipelinePublishBeforeBuild>");

        var (code, output) = await BuildFolder.BuildAsync(app);

        Assert.NotEqual(0, code);
        Assert.Contains($"error TUNE1008: TunePipelinePublishBeforeBuild is true, but the experiment project {plain} does not import Tune.Pipeline.MSBuild, so it has no TunePipelinePublish target.", output, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Fact]
    public async Task TunePipelineModel_ThatNamesNothing_FailsWithTune1001()
    {
        var app = Folder.WriteApplication("app-nowhere", """<TunePipelineModel Include="../Nowhere" />""");

        var (code, output) = await BuildFolder.BuildAsync(app);

        Assert.NotEqual(0, code);
        Assert.Contains($"error TUNE1001: TunePipelineModel '../Nowhere' names '{Path.Combine(Folder.Directory, "Nowhere")}', which does not exist.", output, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Fact]
    public async Task TunePipelineSweep_InALibrary_FailsWithTune1006()
    {
        var library = Folder.WriteProject("library", "Library", string.Empty);

        var (code, output) = await BuildFolder.BuildAsync(library, "-t:TunePipelineSweep");

        Assert.NotEqual(0, code);
        Assert.Contains("error TUNE1006: Library.csproj has OutputType 'Library', so it has no executable to sweep or publish with.", output, StringComparison.Ordinal);
    }

    private static string OutputOf(string project) => Path.Combine(Path.GetDirectoryName(project)!, "bin", BuildFolder.Configuration, "net10.0");

    private static Dictionary<string, DateTime> Times(string folder) =>
        Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), File.GetLastWriteTimeUtc);

    private static void AssertNoStackTrace(string output)
    {
        Assert.DoesNotContain("MSB4018", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    private static async Task<string> RunAsync(string app)
    {
        var (code, output) = await BuildFolder.DotnetAsync(Path.GetDirectoryName(app)!, [Path.Combine(OutputOf(app), "App.dll")]);
        Assert.True(code == 0, output);
        return output;
    }
}
