using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Tune.Pipeline.Publishing.Azure.Tests;

namespace Tune.Pipeline.Cli.Tests.Workflows;

/// <summary>
/// Runs the `run:` steps of .github/workflows/ci.yml, sweep.yml and pr-gate.yml in order on a copy of this repository's
/// working tree (<see cref="WorkflowRunner"/>: runner variables, expressions, the emulated actions and the PostgreSQL
/// stand-in are documented there), so that a command a workflow calls that does not exist, or fails, fails the suite.
/// Needs the PostgreSQL of TUNE_TEST_POSTGRES and Azurite (TUNE_TEST_AZURITE): skipped locally when they are
/// unreachable, failing on CI.
/// </summary>
public sealed class WorkflowRunTests : IDisposable
{
    // The workflows' inputs and repository variables for this run: tiny trial counts, so that the three workflows run
    // in a few minutes. The gate's allowance is wide on purpose: a two-trial sweep is not meant to beat the baseline,
    // and the gate's verdicts are GateCommandTests' business; here the gate must run, decide and write its summary.
    private static readonly Dictionary<string, string> SweepInputs = new() { ["experiment"] = "BreastCancer", ["max-trials"] = "2", ["seed"] = "7", ["agents"] = "1" };
    private static readonly Dictionary<string, string> GateVars = new() { ["TUNE_GATE_MAX_TRIALS"] = "2", ["TUNE_GATE_SEED"] = "8", ["TUNE_GATE_MAX_REGRESSION"] = "100%" };

    private readonly string _root = Directory.CreateTempSubdirectory("tune-workflows-").FullName;

    private static string RepositoryRoot => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));

    private string Workspace => Path.Combine(_root, "workspace");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Workflows_RunStepsInOrderOnACopyOfThisRepository_EveryCommandRunsAndTheGateWritesItsSummary()
    {
        var ct = TestContext.Current.CancellationToken;
        var postgres = await RequirePostgresAsync(ct);
        var container = Azurite.NewContainer(out var containerName);
        await CopyWorkingTreeAsync(ct);
        var packTarget = (await File.ReadAllTextAsync(Path.Combine(Workspace, "build", "targets.cake"), ct)).Contains("Task(\"Pack\")", StringComparison.Ordinal);
        // Unique per run: the postgres stand-in's database is named after it, beside other tests' databases.
        var runId = (Environment.ProcessId * 100_000L) + (Guid.NewGuid().GetHashCode() & 0xFFFF);
        var notRun = new Dictionary<string, string>
        {
            // The ci.yml step that runs the whole suite is the suite this test belongs to: running it here would recurse.
            // The test checks that the step is exactly the CI entry point, and runs every other step.
            ["bash .ci/run"] = "the CI entry point, whose suite runs this test",
        };
        if (!packTarget)
        {
            // The Pack target comes with the packages work (issue 17's `pkg` branch); until it is merged, the step is
            // named here and not run. Once targets.cake has Task("Pack"), it runs like every other step.
            notRun["dotnet cake --target=Pack"] = "build/targets.cake has no Pack target yet";
        }

        var runner = new WorkflowRunner(Workspace, Path.Combine(_root, "artifact-store"), postgres) { NotRun = notRun };

        var ci = await runner.RunAsync(".github/workflows/ci.yml", runId, ct);
        var sweep = await new WorkflowRunner(Workspace, runner.ArtifactStore, postgres)
        {
            EventName = "workflow_dispatch",
            Inputs = SweepInputs,
            Vars = new() { ["TUNE_BLOB_CONTAINER"] = containerName },
            Secrets = new() { ["AZURE_STORAGE_CONNECTION_STRING"] = Azurite.ConnectionString },
        }.RunWithCleanupAsync(".github/workflows/sweep.yml", runId + 1, ct);
        var gate = await new WorkflowRunner(Workspace, runner.ArtifactStore, postgres)
        {
            EventName = "pull_request",
            Ref = "refs/pull/42/merge",
            PullRequest = (42, "someone/fork"),
            Vars = GateVars,
            Scripts = new() { ["baseline-run"] = () => new() { ["run-id"] = (runId + 1).ToString(CultureInfo.InvariantCulture) } },
        }.RunWithCleanupAsync(".github/workflows/pr-gate.yml", runId + 2, ct);

        Assert.True(ci.Jobs["build-test-pack"] == "success", ci.Log);
        Assert.Contains(ci.Steps, s => s is { Step: "Build and test", Outcome: "not run" });
        Assert.True(sweep.Jobs["sweep"] == "success", sweep.Log);
        Assert.DoesNotContain(sweep.Steps, s => s.Outcome != "success");
        Assert.True(File.Exists(Path.Combine(runner.ArtifactStore, (runId + 1).ToString(CultureInfo.InvariantCulture), "model-BreastCancer", "sweep.lock.json")), sweep.Log);
        var blobs = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(cancellationToken: ct))
        {
            blobs.Add(blob.Name);
        }

        Assert.Contains("BreastCancer/0123456789abcdef0123456789abcdef01234567/manifest.json", blobs);
        Assert.True(gate.Jobs["gate"] == "success", gate.Log);
        Assert.Equal("skipped", gate.Jobs["comment"]);
        Assert.Contains("Warm start from lock file baseline/sweep.lock.json: 2 of 2 finished trials fit the space", gate.Log, StringComparison.Ordinal);
        Assert.StartsWith("## Tune gate: breast-cancer passed", gate.StepSummary, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(runner.ArtifactStore, (runId + 2).ToString(CultureInfo.InvariantCulture), "gate-summary", "summary.md")), gate.Log);
        TestContext.Current.TestOutputHelper?.WriteLine(gate.StepSummary);
    }

    [Fact]
    public async Task Run_AStepCallingACommandThatDoesNotExist_FailsTheJobAndSkipsTheRest()
    {
        Directory.CreateDirectory(Path.Combine(Workspace, ".github", "workflows"));
        await File.WriteAllTextAsync(Path.Combine(Workspace, ".github", "workflows", "broken.yml"), """
            on: push
            jobs:
              broken:
                runs-on: ubuntu-latest
                steps:
                  - run: echo "ref=$GITHUB_REF" >> "$GITHUB_OUTPUT"
                    id: first
                  - run: tune-no-such-command --target=Sweep
                  - run: echo never
                  - if: always()
                    run: echo "${{ steps.first.outputs.ref }} on ${{ github.event_name }}" >> "$GITHUB_STEP_SUMMARY"
            """, TestContext.Current.CancellationToken);

        var run = await new WorkflowRunner(Workspace, Path.Combine(_root, "artifact-store"), "Host=127.0.0.1").RunAsync(".github/workflows/broken.yml", 1, TestContext.Current.CancellationToken);

        Assert.Equal("failure", run.Jobs["broken"]);
        Assert.Equal(["success", "failure", "skipped", "success"], run.Steps.Select(s => s.Outcome));
        Assert.Contains("tune-no-such-command: command not found", run.Log, StringComparison.Ordinal);
        Assert.Equal("refs/heads/main on push\n", run.StepSummary);
    }

    // Tracked and untracked files that git does not ignore: the working tree a checkout of this commit would hold,
    // with the changes not yet committed, and without build output.
    private async Task CopyWorkingTreeAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = RepositoryRoot, UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in new[] { "ls-files", "-co", "--exclude-standard", "-z" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var files = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        Assert.True(process.ExitCode == 0, "git ls-files failed in " + RepositoryRoot);
        foreach (var file in files.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var source = Path.Combine(RepositoryRoot, file);
            if (!File.Exists(source))
            {
                continue;
            }

            var target = Path.Combine(Workspace, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }
    }

    private static async Task<string> RequirePostgresAsync(CancellationToken cancellationToken)
    {
        var connectionString = Environment.GetEnvironmentVariable("TUNE_TEST_POSTGRES") is { Length: > 0 } value ? value : "Host=127.0.0.1;Port=5432;Username=postgres";
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5 }.ConnectionString);
            await connection.OpenAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"PostgreSQL is unreachable on CI ({exception.Message}); .ci/run starts it and sets TUNE_TEST_POSTGRES.");
            }

            Assert.Skip($"PostgreSQL is not reachable ({exception.Message}); set TUNE_TEST_POSTGRES to run the workflows.");
        }

        return connectionString;
    }
}

/// <summary>Runs a workflow and drops the databases its postgres service stand-in created, whatever happened.</summary>
internal static class WorkflowRunnerExtensions
{
    public static async Task<WorkflowRun> RunWithCleanupAsync(this WorkflowRunner runner, string workflowFile, long runId, CancellationToken cancellationToken)
    {
        try
        {
            return await runner.RunAsync(workflowFile, runId, cancellationToken);
        }
        finally
        {
            await runner.DropDatabasesAsync();
        }
    }
}
