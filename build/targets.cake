// Tune.Pipeline build targets. Cake.Core and Cake.Frosting are not on our package source, so these targets drive the
// dotnet CLI and our own executables rather than an addin. Public targets are PascalCase; internal steps __PascalCase.

var target = Argument("target", "Default");
var configuration = Argument("configuration", "Release");
var solution = "./Tune.Pipeline.sln";

//////////////////////////////////////////////////////////////////////
// Internal steps
//////////////////////////////////////////////////////////////////////

Task("__Restore")
    .Does(() => DotNetRestore(solution));

Task("__BuildSolution")
    .IsDependentOn("__Restore")
    .Does(() => DotNetBuild(solution, new DotNetBuildSettings
    {
        Configuration = configuration,
        NoRestore = true,
        MSBuildSettings = new DotNetMSBuildSettings().TreatAllWarningsAs(MSBuildTreatAllWarningsAs.Error),
    }));

//////////////////////////////////////////////////////////////////////
// Public targets
//////////////////////////////////////////////////////////////////////

Task("Build")
    .Description("Builds the solution with warnings as errors.")
    .IsDependentOn("__BuildSolution");

Task("Test")
    .Description("Runs every test project, as CI does.")
    .IsDependentOn("Build")
    .Does(() => DotNetTest(solution, new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
    }));

Task("Sweep")
    .Description("Builds, then sweeps the example experiment on embedded defaults, retrains the best and publishes it to artifacts/.")
    .IsDependentOn("Build")
    .Does(() =>
    {
        var experiment = Argument("experiment", "BreastCancer");
        var maxTrials = Argument("max-trials", 30);
        var agents = Argument("agents", 2);
        var seed = Argument("seed", 42);

        // Each run is a new sweep in the embedded store (.tune/tune.db), so the target can be run again and again;
        // `sweep --resume --sweep NAME` continues one that was interrupted.
        var sweepName = $"{experiment.ToLowerInvariant()}-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
        var exitCode = StartProcess("dotnet", new ProcessSettings
        {
            Arguments = $"run --no-build -c {configuration} --project experiments/{experiment} -- sweep --sweep {sweepName} --max-trials {maxTrials} --agents {agents} --seed {seed}",
        });
        if (exitCode != 0)
        {
            throw new CakeException(exitCode, $"The sweep of experiments/{experiment} failed with exit code {exitCode}.");
        }
    });

Task("PackLauncher")
    .Description("Packs the `dotnet tune` launcher tool into build/packages; raise its Version first (see src/Tune.Pipeline.Launcher).")
    .Does(() => DotNetPack("./src/Tune.Pipeline.Launcher/Tune.Pipeline.Launcher.csproj", new DotNetPackSettings
    {
        Configuration = "Release",
        MSBuildSettings = new DotNetMSBuildSettings().TreatAllWarningsAs(MSBuildTreatAllWarningsAs.Error),
    }));

Task("Default")
    .IsDependentOn("Test");

RunTarget(target);
