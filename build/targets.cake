// Tune.Pipeline build targets. Cake.Core and Cake.Frosting are not on our package source, so these targets drive the
// dotnet CLI and our own executables rather than an addin. Public targets are PascalCase; internal steps __PascalCase.

var target = Argument("target", "Default");
var configuration = Argument("configuration", "Release");
var solution = "./Tune.Pipeline.sln";

//////////////////////////////////////////////////////////////////////
// Internal steps
//////////////////////////////////////////////////////////////////////

// The arguments each public target reads, for Help: one list beside the targets, in the order they are declared.
var TargetArguments = new (string Name, string[] Arguments)[]
{
    ("Build", new string[0]),
    ("Test", new string[0]),
    ("Sweep", new[] { "[--experiment=BreastCancer]", "[--max-trials=N]", "[--agents=N]", "[--seed=N]", "[--sampler=NAME]", "[--store=PATH|URL]", "[--artifacts=DIR]", "[--warm-start=NAME|LOCK,...]" }),
    ("Retrain", new[] { "[--experiment=BreastCancer]", "--sweep=NAME", "[--store=PATH|URL]", "[--artifacts=DIR]", "[--azure-container=NAME]", "[--azure-prefix=PREFIX]" }),
    ("Publish", new[] { "--folder=artifacts/<experiment>", "--azure-container=NAME", "[--azure-prefix=PREFIX]", "(AZURE_STORAGE_CONNECTION_STRING: a connection string or SAS URL)" }),
    ("Gate", new[] { "--candidate=DIR|manifest.json", "--baseline=DIR|manifest.json|BLOB-URL|models:/NAME/VERSION", "[--max-regression=0.01|2%]", "[--data-changed]", "[--repeats=K --experiment=NAME|DIR]", "[--seed=N]", "[--confidence=0.95]", "[--summary=FILE]" }),
    ("Report", new[] { "--sweep=NAME", "[--store=PATH|URL]", "[--output=report.html]" }),
    ("Replay", new[] { "--lock=artifacts/<experiment>/sweep.lock.json", "[--rerun]", "[--trials=0,5,9|--sample=N]", "[--experiment=NAME|DIR]", "[--config=sweep.yaml]", "[--max-concurrent-trials=C]" }),
    ("Pack", new[] { "[--package-version=VERSION]" }),
    ("PackLauncher", new string[0]),
    ("Help", new string[0]),
};

// Cake arguments named here go to tune as --name value, only when given.
void PassThrough(List<string> arguments, params string[] names)
{
    foreach (var name in names)
    {
        if (HasArgument(name))
        {
            arguments.AddRange(new[] { $"--{name}", Argument<string>(name) });
        }
    }
}

// --warm-start=a,b: one tune option per source.
void PassWarmStart(List<string> arguments)
{
    if (HasArgument("warm-start"))
    {
        foreach (var source in Argument<string>("warm-start").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            arguments.AddRange(new[] { "--warm-start", source });
        }
    }
}

// Runs the tune CLI built by __BuildCli; a non-zero exit fails the target with tune's exit code and the reason.
void Tune(string what, List<string> arguments, Dictionary<int, string> reasons = null)
{
    var tune = $"artifacts/bin/Tune.Pipeline.Cli/{configuration.ToLowerInvariant()}/tune.dll";
    var builder = new ProcessArgumentBuilder().AppendQuoted(tune);
    foreach (var argument in arguments)
    {
        builder.AppendQuoted(argument);
    }

    var exitCode = StartProcess("dotnet", new ProcessSettings { Arguments = builder });
    if (exitCode != 0)
    {
        var reason = reasons != null && reasons.TryGetValue(exitCode, out var known) ? known : "see the message above";
        throw new CakeException(exitCode, $"{what} failed with exit code {exitCode}: {reason}.");
    }
}

Task("__BuildCli")
    .Does(() => DotNetBuild("./src/Tune.Pipeline.Cli/Tune.Pipeline.Cli.csproj", new DotNetBuildSettings { Configuration = configuration }));

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
    .Description("Sweeps one experiment (building only it and what it references) with its sweep.yaml when it has one, retrains the best and publishes it to artifacts/.")
    .IsDependentOn("__BuildCli")
    .Does(() =>
    {
        var experiment = Argument("experiment", "BreastCancer");
        var folder = $"experiments/{experiment}";
        var arguments = new List<string> { "sweep", folder, "-c", configuration };

        // Each run is a new sweep in the embedded store (.tune/tune.db), so the target can be run again and again;
        // `sweep --resume --sweep NAME` continues one that was interrupted.
        arguments.AddRange(new[] { "--sweep", $"{experiment.ToLowerInvariant()}-{DateTime.UtcNow:yyyyMMdd-HHmmss}" });
        if (FileExists($"{folder}/sweep.yaml"))
        {
            arguments.AddRange(new[] { "--config", $"{folder}/sweep.yaml" });
        }

        // Given on the command line, these win over the sweep file; not given, the file (or the defaults) decide.
        PassThrough(arguments, "max-trials", "agents", "seed", "sampler", "store", "artifacts");
        PassWarmStart(arguments);
        Tune($"The sweep of {folder}", arguments);
    });

Task("Retrain")
    .Description("Retrains a sweep's best configuration on all data and publishes it (model, manifest.json, sweep.lock.json, report.html).")
    .IsDependentOn("__BuildCli")
    .Does(() =>
    {
        var arguments = new List<string> { "retrain", $"experiments/{Argument("experiment", "BreastCancer")}", "-c", configuration };
        PassThrough(arguments, "sweep", "store", "artifacts", "azure-container", "azure-prefix");
        Tune("The retrain", arguments);
    });

Task("Publish")
    .Description("Uploads a published folder (model, manifest.json, sweep.lock.json, report.html) to Azure Blob Storage.")
    .IsDependentOn("__BuildCli")
    .Does(() =>
    {
        var arguments = new List<string> { "publish", Argument<string>("folder") };
        PassThrough(arguments, "azure-container", "azure-prefix");
        Tune("The publish", arguments, new Dictionary<int, string>
        {
            [2] = "it refused its arguments: not a published folder, or no credentials (see the message above)",
            [3] = "Azure Blob Storage refused or could not be reached (see the message above)",
        });
    });

Task("Gate")
    .Description("Compares a candidate model with a baseline and fails on a regression, writing the markdown summary ($GITHUB_STEP_SUMMARY on GitHub Actions).")
    .IsDependentOn("__BuildCli")
    .Does(() =>
    {
        var arguments = new List<string> { "gate", Argument<string>("candidate"), "--baseline", Argument<string>("baseline") };
        PassThrough(arguments, "max-regression", "repeats", "experiment", "seed", "confidence", "summary");
        if (HasArgument("data-changed"))
        {
            arguments.Add("--data-changed");
        }

        if (HasArgument("repeats"))
        {
            arguments.AddRange(new[] { "-c", configuration });
        }

        Tune("The gate", arguments, new Dictionary<int, string>
        {
            [1] = "the candidate regressed beyond the allowance (see the summary above)",
            [2] = "it refused the comparison or its arguments (see the message above)",
            [3] = "the baseline could not be reached",
        });
    });

Task("Report")
    .Description("Writes a sweep's report.html (history, parallel coordinates, slices, steps, importance, trials) from its store.")
    .IsDependentOn("__BuildCli")
    .Does(() =>
    {
        var arguments = new List<string> { "report", Argument<string>("sweep") };
        PassThrough(arguments, "store", "output");
        Tune("The report", arguments);
    });

Task("Replay")
    .Description("Checks a lock file: the sampler must reproduce its configurations from the seed; with --rerun, its trials must reach their locked values.")
    .IsDependentOn("__BuildCli")
    .Does(() =>
    {
        var arguments = new List<string> { "replay", Argument<string>("lock"), "-c", configuration };
        PassThrough(arguments, "experiment", "trials", "sample", "config", "max-concurrent-trials");
        if (HasArgument("rerun"))
        {
            arguments.Add("--rerun");
        }

        Tune("The replay", arguments, new Dictionary<int, string> { [1] = "the replay differs from the lock file (both values are printed above)" });
    });

Task("Help")
    .Description("Lists the public targets and their arguments.")
    .Does(() =>
    {
        // Plain lines, not Cake's log: its colouring would split "Gate:" with escape codes when the output is redirected.
        Console.WriteLine("dotnet cake --target=<target> [--configuration=Release] [--argument=value ...]");
        foreach (var (name, arguments) in TargetArguments)
        {
            var task = Tasks.First(t => t.Name == name);
            Console.WriteLine("");
            Console.WriteLine($"{name}: {task.Description}");
            if (arguments.Length > 0)
            {
                Console.WriteLine($"    {string.Join(" ", arguments)}");
            }
        }
    });

Task("Pack")
    .Description("Packs every packable project of the solution (libraries, the Tune.Pipeline.Tool tool, the templates) into artifacts/packages/.")
    .Does(() =>
    {
        // A package left from an earlier run (a project since renamed or made unpackable) must not look current.
        CleanDirectory("artifacts/packages");
        var settings = new DotNetMSBuildSettings().TreatAllWarningsAs(MSBuildTreatAllWarningsAs.Error);
        if (HasArgument("package-version"))
        {
            // The package version only: assemblies keep the repository's Version, so nothing is rebuilt for it.
            settings.WithProperty("PackageVersion", Argument<string>("package-version"));
        }

        DotNetPack(solution, new DotNetPackSettings { Configuration = configuration, MSBuildSettings = settings });
        foreach (var package in GetFiles("artifacts/packages/*.nupkg").OrderBy(p => p.GetFilename().FullPath))
        {
            Information($"{package.GetFilename()}  {new System.IO.FileInfo(package.FullPath).Length / 1024} KiB");
        }
    });

Task("PackLauncher")
    .Description("Packs the `dotnet tune` launcher tool (this repository's own, which builds the CLI from source) into build/packages; raise its Version first (see src/Tune.Pipeline.Launcher).")
    .Does(() => DotNetPack("./src/Tune.Pipeline.Launcher/Tune.Pipeline.Launcher.csproj", new DotNetPackSettings
    {
        Configuration = "Release",
        MSBuildSettings = new DotNetMSBuildSettings().TreatAllWarningsAs(MSBuildTreatAllWarningsAs.Error).WithProperty("TunePipelinePackLauncher", "true"),
    }));

Task("Default")
    .IsDependentOn("Test");

RunTarget(target);
