using System.Text.Json.Nodes;
using k8s;
using Tune.Pipeline.Hosting.Kubernetes;
using Tune.Pipeline.Hosting.Launchers;

namespace Tune.Pipeline.Hosting.Tests.Kubernetes;

/// <summary>
/// The Kubernetes launcher through the official client against <see cref="FakeKubernetesApi"/>, an in-process stand-in
/// for the API server (none can run here), which validates the Job and Secret as the server does: the Job's shape, the
/// Secret reference instead of the connection string, the deletion, and a Job that fails to start.
/// </summary>
public sealed class KubernetesLauncherTests : IDisposable
{
    private const string Store = "postgresql://tune:s3cret-pa55@db.example:5432/tune";

    private readonly FakeKubernetesApi _api = new();
    private readonly StringWriter _error = new();
    private readonly List<string> _agents = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Start_CreatesASecretAndAnIndexedJobThatReadsTheStoreFromIt()
    {
        await using var launcher = Launcher();

        await launcher.StartAsync(Launch(new KubernetesSettings { Image = "registry.example/faq:1", Namespace = "tune", Cpu = "2", Memory = "4Gi", GpusPerAgent = 1, BackoffLimit = 3 }), Ct);

        var (key, job) = Assert.Single(_api.Jobs);
        Assert.Equal("tune", key.Ns);
        Assert.Equal(launcher.JobName, key.Name);
        Assert.StartsWith("tune-faq-1-", key.Name, StringComparison.Ordinal);
        var spec = job["spec"]!;
        Assert.Equal("Indexed", (string?)spec["completionMode"]);
        Assert.Equal(4, (int?)spec["completions"]);
        Assert.Equal(4, (int?)spec["parallelism"]);
        Assert.Equal(3, (int?)spec["backoffLimit"]);
        Assert.Equal("faq-1", (string?)job["metadata"]!["labels"]![KubernetesAgentJob.SweepLabel]);
        Assert.Equal("faq-1", (string?)spec["template"]!["metadata"]!["labels"]![KubernetesAgentJob.SweepLabel]);
        var pod = spec["template"]!["spec"]!;
        Assert.Equal("Never", (string?)pod["restartPolicy"]);
        var container = pod["containers"]![0]!;
        Assert.Equal("registry.example/faq:1", (string?)container["image"]);
        Assert.Equal(["agent", "--sweep", "faq-1", "--threads-per-trial", "2"], container["args"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("2", (string?)container["resources"]!["requests"]!["cpu"]);
        Assert.Equal("4Gi", (string?)container["resources"]!["limits"]!["memory"]);
        Assert.Equal("1", (string?)container["resources"]!["limits"]!["nvidia.com/gpu"]);

        // The connection string is only in the Secret; the Job names the Secret and its key.
        var env = Assert.Single(container["env"]!.AsArray())!;
        Assert.Equal(AgentLaunch.StoreVariable, (string?)env["name"]);
        Assert.Null(env["value"]);
        var secretName = (string)env["valueFrom"]!["secretKeyRef"]!["name"]!;
        Assert.Equal(KubernetesSettings.SecretKey, (string?)env["valueFrom"]!["secretKeyRef"]!["key"]);
        var secret = _api.Secrets[("tune", secretName)];
        Assert.Equal(Store, (string?)secret["stringData"]![KubernetesSettings.SecretKey]);
        Assert.DoesNotContain("s3cret", job.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", _error.ToString(), StringComparison.Ordinal);
        Assert.Equal(["POST /api/v1/namespaces/tune/secrets", "POST /apis/batch/v1/namespaces/tune/jobs"], _api.Requests.Where(r => r.StartsWith("POST", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Stop_DeletesTheJobWithItsPodsAndTheSecretItCreated()
    {
        await using var launcher = Launcher();
        await launcher.StartAsync(Launch(new KubernetesSettings { Image = "faq:1" }), Ct);
        var job = launcher.JobName!;

        await launcher.StopAsync(TimeSpan.Zero);

        Assert.Empty(_api.Jobs);
        Assert.Empty(_api.Secrets);
        Assert.Contains($"DELETE /apis/batch/v1/namespaces/default/jobs/{job}?propagationPolicy=Background", _api.Requests);
        Assert.Contains($"DELETE /api/v1/namespaces/default/secrets/{job}-store", _api.Requests);
    }

    [Fact]
    public async Task Start_WithTheUsersSecret_ReferencesItAndNeitherCreatesNorDeletesOne()
    {
        await using var launcher = Launcher();

        await launcher.StartAsync(Launch(new KubernetesSettings { Image = "faq:1", Secret = "team-store" }), Ct);
        var env = _api.Jobs.Single().Value["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]![0]!;
        await launcher.StopAsync(TimeSpan.Zero);

        Assert.Equal("team-store", (string?)env["valueFrom"]!["secretKeyRef"]!["name"]);
        Assert.DoesNotContain(_api.Requests, r => r.Contains("/secrets", StringComparison.Ordinal) && !r.StartsWith("GET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JobFailsToStart_BackoffLimitReached_EndsWithTheJobsReasonAndShowsWhyPodsWait()
    {
        await using var launcher = Launcher();
        await launcher.StartAsync(Launch(new KubernetesSettings { Image = "registry.example/missing:1", BackoffLimit = 1 }), Ct);
        var job = launcher.JobName!;
        _api.AddPod(Pod(job, "ErrImagePull"));
        _api.SetJobStatus("default", job, new JsonObject
        {
            ["failed"] = 2,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Failed", ["status"] = "True", ["reason"] = "BackoffLimitExceeded", ["message"] = "Job has reached the specified backoff limit" }),
        });

        var why = await launcher.NoAgentCanRun.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal($"the Kubernetes Job default/{job} failed (BackoffLimitExceeded: Job has reached the specified backoff limit). See its pods: kubectl describe pods -n default -l batch.kubernetes.io/job-name={job}", why);
        Assert.Contains($"agents (kubernetes job {job}): 0 active, 0 succeeded, 2 failed; waiting: ErrImagePull", _agents);
    }

    [Fact]
    public async Task Start_InNamespaceThatDoesNotExist_FailsWithTheServersReason()
    {
        await using var launcher = Launcher();

        var refused = await Assert.ThrowsAsync<LauncherException>(() => launcher.StartAsync(Launch(new KubernetesSettings { Image = "faq:1", Namespace = "nowhere" }), Ct));

        Assert.Equal("--launcher kubernetes could not list the sweep's Jobs: 404 NotFound: namespaces \"nowhere\" not found. Check the cluster (KUBECONFIG), the namespace and your permissions there.", refused.Message);
        Assert.Empty(_api.Jobs);
    }

    [Fact]
    public async Task Start_AfterAControllerDied_DeletesTheJobAndSecretItLeft()
    {
        await using (var first = Launcher())
        {
            await first.StartAsync(Launch(new KubernetesSettings { Image = "faq:1" }), Ct);
        }

        // A controller killed with SIGKILL never stops its launcher: put its Job back as it would have stayed.
        var left = (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(KubernetesAgentJob.Build(new KubernetesJobRequest { SweepName = "faq-1", Agents = 4, Arguments = [], Settings = new KubernetesSettings { Image = "faq:1" }, Suffix = "old" })))!;
        _api.AddJob("default", left);
        await using var second = Launcher();

        await second.StartAsync(Launch(new KubernetesSettings { Image = "faq:1" }), Ct);

        Assert.Equal(second.JobName, _api.Jobs.Single().Key.Name);
        Assert.Contains("Deleted Kubernetes Job default/tune-faq-1-old, the agents a previous controller of sweep 'faq-1' started.", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_IsTheSameJobAsYaml()
    {
        var request = new KubernetesJobRequest { SweepName = "Faq_1", Agents = 2, Arguments = ["--sweep", "Faq_1"], Settings = new KubernetesSettings { Image = "faq:1", Secret = "team-store" } };

        var yaml = KubernetesAgentJob.Yaml(KubernetesAgentJob.Build(request));
        var back = KubernetesYaml.Deserialize<k8s.Models.V1Job>(yaml);

        Assert.Equal(KubernetesJson.Serialize(KubernetesAgentJob.Build(request)), KubernetesJson.Serialize(back));
        Assert.Empty(JobSchema.Problems((JsonObject)JsonNode.Parse(KubernetesJson.Serialize(back))!));
        Assert.Matches("^tune-faq-1-[0-9a-f]{8}$", back.Metadata.Name);
        Assert.Equal("Faq_1", back.Metadata.Annotations[KubernetesAgentJob.SweepAnnotation]);
    }

    private KubernetesLauncher Launcher() => new(new k8s.Kubernetes(new KubernetesClientConfiguration { Host = _api.Url }), TimeProvider.System);

    private AgentLaunch Launch(KubernetesSettings settings) => new()
    {
        SweepName = "faq-1",
        Store = Store,
        Count = 4,
        Arguments = ["--sweep", "faq-1", "--threads-per-trial", "2"],
        Placement = _ => new AgentPlacement([], settings.GpusPerAgent ?? 0),
        Home = SweepHome.ForDirectory(Path.GetTempPath(), _ => Path.GetTempPath()),
        Settings = new LauncherSettings { Kubernetes = settings },
        OnAgentsChanged = line => { lock (_agents) { _agents.Add(line); } },
        Error = _error,
        Time = TimeProvider.System,
    };

    private static JsonObject Pod(string job, string waiting) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = $"{job}-0-abcde", ["labels"] = new JsonObject { ["batch.kubernetes.io/job-name"] = job } },
        ["status"] = new JsonObject
        {
            ["phase"] = "Pending",
            ["containerStatuses"] = new JsonArray(new JsonObject { ["name"] = "agent", ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = waiting } } }),
        },
    };
}

/// <summary>The launcher against a real cluster: runs only when KUBECONFIG names one (it pulls busybox there).</summary>
public sealed class KubernetesRealClusterTests
{
    [Fact]
    public async Task JobWhoseAgentsExit_FailsWithBackoffLimitExceededAndIsDeleted()
    {
        if (Environment.GetEnvironmentVariable("KUBECONFIG") is not { Length: > 0 })
        {
            Assert.Skip("KUBECONFIG is not set: this test needs a real Kubernetes cluster (the fake API server covers the rest).");
        }

        var ns = Environment.GetEnvironmentVariable("TUNE_TEST_K8S_NAMESPACE") is { Length: > 0 } given ? given : KubernetesSettings.DefaultNamespace;
        var settings = new KubernetesSettings { Image = "busybox:1.36", Command = ["sh", "-c", "test -n \"$TUNE_STORE\" && exit 3"], Namespace = ns, BackoffLimit = 0 };
        var sweep = $"k8s-test-{Guid.NewGuid().ToString("N")[..8]}";
        var launcher = new KubernetesLauncherProvider().Create(TimeProvider.System);
        await using (launcher)
        {
            await launcher.StartAsync(new AgentLaunch
            {
                SweepName = sweep,
                Store = "postgresql://nobody@nowhere/none",
                Count = 1,
                Arguments = ["--sweep", sweep],
                Home = SweepHome.ForDirectory(Path.GetTempPath(), _ => Path.GetTempPath()),
                Settings = new LauncherSettings { Kubernetes = settings },
                Error = TextWriter.Null,
                Time = TimeProvider.System,
            }, TestContext.Current.CancellationToken);

            var why = await launcher.NoAgentCanRun.WaitAsync(TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
            Assert.Contains("BackoffLimitExceeded", why, StringComparison.Ordinal);
            await launcher.StopAsync(TimeSpan.Zero);
        }

        using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile());
        Assert.Empty((await client.BatchV1.ListNamespacedJobAsync(ns, labelSelector: KubernetesAgentJob.SelectorOf(sweep), cancellationToken: TestContext.Current.CancellationToken)).Items);
        Assert.Empty((await client.CoreV1.ListNamespacedSecretAsync(ns, labelSelector: KubernetesAgentJob.SelectorOf(sweep), cancellationToken: TestContext.Current.CancellationToken)).Items);
    }
}
