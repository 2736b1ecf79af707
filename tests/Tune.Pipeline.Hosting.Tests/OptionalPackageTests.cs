using Tune.Pipeline.Publishing.Azure;
using Tune.Pipeline.Stores.Sqlite;

namespace Tune.Pipeline.Hosting.Tests;

/// <summary>
/// An experiment executable that references Hosting alone (tests/Tune.Pipeline.Hosting.BareExperiment): it carries no
/// optional package, sweeps SQLite as usual, and refuses what needs a package it lacks before any sweep, naming the package.
/// </summary>
public sealed class OptionalPackageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tune-bare-").FullName;

    // Nothing asks for tracking unless a test says so, whatever the machine running the tests has set.
    private readonly Dictionary<string, string> _environment = new() { ["MLFLOW_TRACKING_URI"] = string.Empty };

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("Tune.Pipeline.PostgreSql.dll")]
    [InlineData("Npgsql.dll")]
    [InlineData("Tune.Pipeline.MLflow.dll")]
    [InlineData("Tune.Pipeline.Azure.dll")]
    [InlineData("Azure.Storage.Blobs.dll")]
    [InlineData("Tune.Pipeline.Gpu.dll")]
    [InlineData("ILGPU.dll")]
    public void BareExecutable_Output_LeavesOutTheOptionalPackage(string file)
    {
        var output = Path.GetDirectoryName(ExperimentProcess.BareExecutablePath)!;

        Assert.True(File.Exists(ExperimentProcess.BareExecutablePath), $"the bare experiment is built at {output}");
        Assert.False(File.Exists(Path.Combine(output, file)), $"{file} is in {output}");
    }

    [Fact]
    public async Task Sweep_BareExecutableWithSqlite_SweepsAndPublishes()
    {
        var (exitCode, output, error) = await RunAsync("sweep", "--sweep", "plain", "--agents", "1", "--max-trials", "3", "--seed", "5");

        Assert.True(exitCode == ExperimentHost.Success, error);
        Assert.Contains("Sweep 'plain' ended (MaxTrials): 3 trials", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_directory, "artifacts", "QuadraticExperiment", "manifest.json")), output);
    }

    [Theory]
    [InlineData("--tracking-uri", "http://localhost:5000", "--tracking-uri asks for MLflow tracking", "Tune.Pipeline.MLflow")]
    [InlineData("--register-model", "quadratic", "--register-model asks for MLflow tracking", "Tune.Pipeline.MLflow")]
    [InlineData("--azure-container", "models", "--azure-container or the sweep file's publish.azure asks for an upload to Azure Blob Storage", "Tune.Pipeline.Azure")]
    [InlineData("--store", "postgresql://tune@localhost:5432/tune", "--store names a postgresql store", "Tune.Pipeline.PostgreSql")]
    [InlineData("--gpus", "all", "--gpus asks for GPU agents", "Tune.Pipeline.Gpu")]
    public async Task Sweep_BareExecutableAskedForWhatAPackageAdds_ExitsWithUsageErrorNamingThePackageBeforeAnySweep(string option, string value, string asked, string package)
    {
        var (exitCode, _, error) = await RunAsync("sweep", "--sweep", "refused", "--max-trials", "2", option, value);

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Equal(
            $"{asked}, which needs the {package} package: add <PackageReference Include=\"{package}\" /> (or a project reference) to the experiment's project and build it again.",
            error.TrimEnd());
        Assert.False(File.Exists(Path.Combine(_directory, SqliteSweepStore.DefaultPath)), "no sweep should have run");
    }

    [Fact]
    public async Task Sweep_BareExecutableWithTrackingVariable_ExitsWithUsageErrorNamingTheVariableAndPackage()
    {
        _environment["MLFLOW_TRACKING_URI"] = "http://localhost:5000";

        var (exitCode, _, error) = await RunAsync("sweep", "--sweep", "tracked", "--max-trials", "2", "--no-publish");

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.StartsWith("MLFLOW_TRACKING_URI asks for MLflow tracking, which needs the Tune.Pipeline.MLflow package: add <PackageReference Include=\"Tune.Pipeline.MLflow\" />", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultAzureCredentialVariable_IsTheAzurePackagesDefault()
    {
        // Hosting keeps its own copy, because it does not reference the Azure package it loads by name.
        Assert.Equal(AzureBlobPublishOptions.DefaultCredentialVariable, SweepSettings.DefaultAzureCredentialVariable);
    }

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) =>
        ExperimentProcess.RunAsync(ExperimentProcess.BareExecutablePath, _directory, _environment, arguments);
}
