using System.Diagnostics;
using System.Globalization;
using Tune.Pipeline.Hosting.Launchers;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Stores.PostgreSql;
using Tune.Pipeline.Stores.Tests;

namespace Tune.Pipeline.Hosting.Tests;

/// <summary>
/// Issue 15's Slurm Done-when, on a real two-node Slurm cluster (build/slurm-cluster.sh, TUNE_TEST_SLURM naming its
/// slurm.conf) and a real PostgreSQL: the test experiment's executable sweeps with <c>--launcher slurm</c>, its agents
/// run as array tasks on nodes n1 and n2, a node is taken down mid-trial, and Ctrl+C is a real SIGINT.
/// </summary>
[Collection(SlurmCluster.Collection)]
public sealed class SlurmLauncherTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tune-slurm-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Sweep_SlurmFourAgents_CompletesTheExactTrialsOfALocalRunWithTheSameSeed()
    {
        var conf = SlurmCluster.ConfigOrSkip();
        var local = await PostgresTestServer.CreateSchemaAsync(Ct);
        var slurm = await PostgresTestServer.CreateSchemaAsync(Ct);
        try
        {
            string[] sweep = ["sweep", "--sweep", "same", "--agents", "4", "--max-trials", "16", "--seed", "11", "--no-publish"];
            var byLocal = await ExperimentProcess.RunAsync(_directory, Environment(conf), [.. sweep, "--store", local, "--force"]);
            Assert.True(byLocal.ExitCode == 0, byLocal.Error);

            var bySlurm = await ExperimentProcess.RunAsync(_directory, Environment(conf), [.. sweep, "--store", slurm, "--launcher", "slurm"]);

            Assert.True(bySlurm.ExitCode == 0, bySlurm.Error + bySlurm.Output);
            Assert.Matches("Submitted Slurm job [0-9]+: 4 agents \\(array 0-3\\)", bySlurm.Error);
            var localTrials = await ConfigurationsAsync(local, "same");
            var slurmTrials = await ConfigurationsAsync(slurm, "same");
            Assert.Equal(16, slurmTrials.Count);
            Assert.All(slurmTrials, t => Assert.Equal("Completed", t.State));
            Assert.Equal(localTrials.Select(t => (t.Number, t.Parameters)), slurmTrials.Select(t => (t.Number, t.Parameters)));

            // The agents really ran as array tasks on the cluster's nodes, and none is left once the sweep ended.
            var job = JobOf("same");
            var tasks = await SlurmCluster.TasksAsync(conf, job);
            Assert.Equal([0, 1, 2, 3], tasks.Select(t => t.Index).Order());
            Assert.All(tasks, t => Assert.Equal("COMPLETED", t.State));
            Assert.Equal(["n1", "n2"], tasks.Select(t => t.Node).Distinct().Order());
        }
        finally
        {
            await PostgresTestServer.DropSchemaAsync(local);
            await PostgresTestServer.DropSchemaAsync(slurm);
        }
    }

    [Fact]
    public async Task Sweep_NodeTakenDownMidTrial_LosesNoTrialAndLeavesNoneRunning()
    {
        var conf = SlurmCluster.ConfigOrSkip();
        var connectionString = await PostgresTestServer.CreateSchemaAsync(Ct);
        try
        {
            await using var store = new PostgreSqlSweepStore(connectionString);
            var environment = Environment(conf, trialMilliseconds: 1500);
            using var sweep = ExperimentProcess.Start(_directory, environment,
                "sweep", "--sweep", "node-down", "--store", connectionString, "--launcher", "slurm", "--agents", "2", "--max-trials", "8",
                "--lease-timeout", "3s", "--max-retries", "3", "--seed", "5", "--no-publish");

            // Wait until n2's agent holds a trial, then fail n2 under it.
            var onN2 = await WaitForAsync(async () => File.Exists(JobFile("node-down")) ? (await SlurmCluster.TasksAsync(conf, JobOf("node-down"))).FirstOrDefault(t => t.State == "RUNNING" && t.Node == "n2") : null);
            await StoreProbe.WaitForAsync(() => StoreProbe.TrialsAsync(store, "node-down", Ct), rows => rows.Count(r => r.State == "Running") >= 2, TimeSpan.FromSeconds(60), Ct);
            try
            {
                await SlurmCluster.ControlAsync(conf, "update", "nodename=n2", "state=down", "reason=tune-test");
                var exitCode = await sweep.WaitAsync(TimeSpan.FromSeconds(180));

                Assert.True(exitCode == 0, $"exit {exitCode}: {sweep.Error}{sweep.Output}");
            }
            finally
            {
                await SlurmCluster.ReturnToServiceAsync(conf, "n2");
            }

            var rows = await StoreProbe.TrialsAsync(store, "node-down", Ct);
            Assert.Equal(Enumerable.Range(0, 8), rows.Select(r => r.Number));
            Assert.All(rows, r => Assert.Equal("Completed", r.State));
            Assert.All((await StoreProbe.CompletedEventsAsync(store, "node-down", Ct)).Values, count => Assert.Equal(1, count));

            // The failure was visible in the progress, and no task of the array outlived the sweep.
            Assert.Contains($"agents (slurm job {JobOf("node-down")}):", sweep.Output, StringComparison.Ordinal);
            Assert.Contains("Restarts=1", await SlurmCluster.ShowJobAsync(conf, $"{JobOf("node-down")}_{onN2.Index}"), StringComparison.Ordinal);
            Assert.All(await SlurmCluster.TasksAsync(conf, JobOf("node-down")), t => Assert.DoesNotContain(t.State, (string[])["RUNNING", "PENDING", "COMPLETING"]));
        }
        finally
        {
            await PostgresTestServer.DropSchemaAsync(connectionString);
        }
    }

    [Fact]
    public async Task Sweep_CtrlC_CancelsTheArrayAndTheSweepResumes()
    {
        var conf = SlurmCluster.ConfigOrSkip();
        var connectionString = await PostgresTestServer.CreateSchemaAsync(Ct);
        try
        {
            await using var store = new PostgreSqlSweepStore(connectionString);
            var environment = Environment(conf, trialMilliseconds: 1500);
            using var sweep = ExperimentProcess.Start(_directory, environment,
                "sweep", "--sweep", "stopped", "--store", connectionString, "--launcher", "slurm", "--agents", "2", "--max-trials", "12", "--seed", "4", "--no-publish");
            await StoreProbe.WaitForAsync(() => StoreProbe.TrialsAsync(store, "stopped", Ct), rows => rows.Count(r => r.State == "Completed") >= 2, TimeSpan.FromSeconds(90), Ct);
            var job = JobOf("stopped");

            sweep.Interrupt();

            var exitCode = await sweep.WaitAsync(TimeSpan.FromSeconds(90));

            Assert.True(exitCode == ExperimentHost.Interrupted, $"exit {exitCode}: {sweep.Error}");
            Assert.All(await SlurmCluster.TasksAsync(conf, job), t => Assert.DoesNotContain(t.State, (string[])["RUNNING", "PENDING", "COMPLETING"]));
            var stopped = await StoreProbe.TrialsAsync(store, "stopped", Ct);
            Assert.DoesNotContain(stopped, t => t.State == "Running");
            Assert.True(stopped.Count(t => t.State == "Completed") < 12, "the sweep ran to its end before the signal");

            var resumed = await ExperimentProcess.RunAsync(_directory, environment, "sweep", "--sweep", "stopped", "--store", connectionString, "--resume", "--no-publish");

            Assert.True(resumed.ExitCode == 0, resumed.Error);
            Assert.Contains("Resuming sweep 'stopped' as recorded: max-trials 12, agents 2, launcher slurm,", resumed.Output, StringComparison.Ordinal);
            Assert.NotEqual(job, JobOf("stopped"));
            var trials = await StoreProbe.TrialsAsync(store, "stopped", Ct);
            Assert.Equal(Enumerable.Range(0, 12), trials.Select(t => t.Number));
            Assert.All(trials, t => Assert.Equal("Completed", t.State));
            Assert.All((await StoreProbe.CompletedEventsAsync(store, "stopped", Ct)).Values, count => Assert.Equal(1, count));
        }
        finally
        {
            await PostgresTestServer.DropSchemaAsync(connectionString);
        }
    }

    [Fact]
    public async Task Sweep_SbatchRefusesTheArray_Exits3WithSlurmsReasonAndTheSweepResumesLater()
    {
        var conf = SlurmCluster.ConfigOrSkip();
        var connectionString = await PostgresTestServer.CreateSchemaAsync(Ct);
        try
        {
            var config = Path.Combine(_directory, "sweep.yaml");
            await File.WriteAllTextAsync(config, "agents: {launcher: slurm, slurm: {partition: nowhere}}", Ct);

            var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, Environment(conf), "sweep", "--config", config, "--sweep", "refused", "--store", connectionString, "--agents", "2", "--max-trials", "4", "--no-publish");

            Assert.Equal(ExperimentHost.EnvironmentError, exitCode);
            var script = Path.Combine(SlurmLauncher.FolderOf(SweepHome.ForDirectory(_directory, _ => _directory), "refused"), "agents.sbatch");
            Assert.Equal($"Slurm refused the agents' job array: sbatch failed (exit code 1): sbatch: error: invalid partition specified: nowhere sbatch: error: Batch job submission failed: Invalid partition name specified Check agents.slurm in the sweep file (the script is {script}), then continue the sweep with --resume.", error.Trim());

            // Nothing ran, and the sweep is there to resume once the partition is right.
            await using var store = new PostgreSqlSweepStore(connectionString);
            Assert.DoesNotContain(await StoreProbe.TrialsAsync(store, "refused", Ct), t => t.State is "Running" or "Completed");
            Assert.NotNull(await store.GetSweepStatusAsync("refused", Ct));
        }
        finally
        {
            await PostgresTestServer.DropSchemaAsync(connectionString);
        }
    }

    [Fact]
    public async Task Sweep_SlurmWithSqliteStore_Exits2NamingTheStoreTheNodesNeed()
    {
        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--launcher", "slurm", "--agents", "2", "--max-trials", "2", "--no-publish");

        Assert.Equal(ExperimentHost.UsageError, exitCode);
        Assert.Equal(
            "--launcher is slurm, which starts agents on other nodes; they need a store every node reaches, and a SQLite file is not one (its locking is unsafe on network file systems). Pass --store postgresql://user@host:port/database.",
            error.Trim());
        Assert.False(Directory.Exists(Path.Combine(_directory, ".tune", "slurm")));
    }

    [Fact]
    public void Script_RunsEachTasksAgentWithItsOwnArgumentsAndTheSweepFilesResources()
    {
        var launch = new AgentLaunch
        {
            SweepName = "s",
            Store = "postgresql://u:secret@db/tune",
            Count = 2,
            Arguments = ["--sweep", "s"],
            Placement = i => new AgentPlacement(["--gpu", i.ToString(CultureInfo.InvariantCulture)], 1),
            Home = SweepHome.ForDirectory(_directory, _ => _directory),
            Settings = new LauncherSettings { Slurm = new SlurmSettings { Partition = "gpu", Time = "1:00:00", CpusPerTask = 4, Sbatch = ["--mem=8G"], Command = "/shared/it's/Faq" } },
            Error = TextWriter.Null,
            Time = TimeProvider.System,
        };

        var script = SlurmLauncher.Script(launch, "/shared/out");

        Assert.Equal(
            """
            #!/bin/bash
            #SBATCH --job-name=tune-s
            #SBATCH --array=0-1
            #SBATCH --output=/shared/out/agent-%A_%a.out
            #SBATCH --requeue
            #SBATCH --partition=gpu
            #SBATCH --time=1:00:00
            #SBATCH --cpus-per-task=4
            #SBATCH --gres=gpu:1
            #SBATCH --mem=8G
            # Written by `sweep --launcher slurm`. The store comes from TUNE_STORE in the submitting environment.
            case "$SLURM_ARRAY_TASK_ID" in
              0) agent=('--sweep' 's' '--gpu' '0') ;;
              1) agent=('--sweep' 's' '--gpu' '1') ;;
              *) echo "unexpected array task $SLURM_ARRAY_TASK_ID" >&2; exit 2 ;;
            esac
            exec '/shared/it'\''s/Faq' agent "${agent[@]}"

            """.ReplaceLineEndings("\n"),
            script);
        Assert.DoesNotContain("secret", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_CountsTasksByStateWithNodesAndReasons()
    {
        var tasks = SlurmLauncher.ParseQueue("0|RUNNING|n1|None\n1|RUNNING|n2|None\n2|PENDING||Resources\n3|NODE_FAIL|n2|NodeDown\nbroken line\n");

        Assert.Equal("agents (slurm job 7): 1 node_fail (NodeDown), 1 pending (Resources), 2 running (n1, n2)", SlurmLauncher.Summary("7", tasks));
    }

    private Dictionary<string, string> Environment(string conf, int trialMilliseconds = 0) => new()
    {
        ["SLURM_CONF"] = conf,
        ["TUNE_HOME"] = _directory,
        ["TUNE_TEST_TRIAL_MS"] = trialMilliseconds.ToString(CultureInfo.InvariantCulture),
    };

    private string JobFile(string sweep) => Path.Combine(SlurmLauncher.FolderOf(SweepHome.ForDirectory(_directory, _ => _directory), sweep), "job");

    private string JobOf(string sweep) => File.ReadAllText(JobFile(sweep)).Trim();

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> read)
        where T : class
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (await read() is { } value)
            {
                return value;
            }

            await Task.Delay(200, Ct);
        }

        throw new TimeoutException("The Slurm cluster did not reach the expected state within 90 s.");
    }

    private static async Task<List<(int Number, string State, string Parameters)>> ConfigurationsAsync(string connectionString, string sweep)
    {
        await using var store = new PostgreSqlSweepStore(connectionString);
        return await store.RunAsync(async (c, t, ct) =>
        {
            var rows = new List<(int, string, string)>();
            await using var command = SqlSweepStore.Command(c, t, "SELECT number, state, parameters FROM trials WHERE sweep = @s ORDER BY number", ("@s", sweep));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(((int)SqlSweepStore.Int64(reader.GetValue(0)), reader.GetString(1), reader.GetString(2)));
            }

            return rows;
        }, transaction: false, Ct);
    }
}
