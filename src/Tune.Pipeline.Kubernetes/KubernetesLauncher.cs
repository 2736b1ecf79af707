using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Tune.Pipeline.Hosting.Kubernetes;
using Tune.Pipeline.Hosting.Launchers;

[assembly: AgentLauncherProvider(typeof(KubernetesLauncherProvider))]

namespace Tune.Pipeline.Hosting.Kubernetes;

/// <summary>Creates the <c>kubernetes</c> launcher for an experiment executable that references this package.</summary>
internal sealed class KubernetesLauncherProvider : IAgentLauncherProvider
{
    public IAgentLauncher Create(TimeProvider time)
    {
        KubernetesClientConfiguration configuration;
        try
        {
            // KUBECONFIG or ~/.kube/config, else the pod's service account when the controller itself runs in the cluster.
            configuration = KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildConfigFromConfigFile();
        }
        catch (Exception exception) when (exception is k8s.Exceptions.KubeConfigException or FileNotFoundException or IOException)
        {
            throw new UsageException($"--launcher kubernetes found no cluster to talk to ({exception.Message}). Set KUBECONFIG to a kubeconfig file (or write ~/.kube/config), or run the sweep in a pod.");
        }

        return new KubernetesLauncher(new k8s.Kubernetes(configuration), time);
    }
}

/// <summary>
/// The <c>kubernetes</c> launcher: the agents as one Indexed Job (<see cref="KubernetesAgentJob"/>), created, watched
/// and deleted through the official client. A failed Job (its <c>backoffLimit</c> reached) ends the sweep with the
/// Job's own reason; pods that cannot start (an image that cannot be pulled, a missing Secret) are shown in the progress.
/// </summary>
internal sealed class KubernetesLauncher(IKubernetes client, TimeProvider time) : IAgentLauncher
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<string> _noAgentCanRun = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private AgentLaunch? _launch;
    private KubernetesJobRequest? _request;
    private bool _ownSecret;
    private Task _watching = Task.CompletedTask;
    private string? _lastSummary;
    private V1JobStatus? _status;

    public string Name => AgentLaunchers.Kubernetes;

    public Task<string> NoAgentCanRun => _noAgentCanRun.Task;

    /// <summary>Gets the Job's name once created.</summary>
    public string? JobName { get; private set; }

    public async Task StartAsync(AgentLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        _launch = launch;
        var settings = launch.Settings.Kubernetes;
        var request = new KubernetesJobRequest
        {
            SweepName = launch.SweepName,
            Agents = launch.Count,
            // One pod template for every index: agent 0's arguments. Each pod sees only the GPUs the device plugin gave
            // it, numbered from 0, so a per-agent device argument is agent 0's everywhere.
            Arguments = launch.ArgumentsOf(0),
            GpusPerAgent = launch.GpusPerAgent,
            Settings = settings,

            // A resumed sweep gets a new Job: the old one may still be being deleted under its name.
            Suffix = time.GetUtcNow().ToUnixTimeSeconds().ToString("x", CultureInfo.InvariantCulture),
        };
        _request = request;
        var ns = request.Namespace;

        // A controller that died left its Job (and Secret) behind: its agents would lease beside ours, so they go first.
        await CallAsync("list the sweep's Jobs", async ct =>
        {
            var left = await client.BatchV1.ListNamespacedJobAsync(ns, labelSelector: KubernetesAgentJob.SelectorOf(launch.SweepName), cancellationToken: ct).ConfigureAwait(false);
            foreach (var job in left.Items)
            {
                await DeleteJobAsync(job.Metadata.Name, ns, ct).ConfigureAwait(false);
                await launch.Error.WriteLineAsync($"Deleted Kubernetes Job {ns}/{job.Metadata.Name}, the agents a previous controller of sweep '{launch.SweepName}' started.").ConfigureAwait(false);
            }

            if (settings.Secret is null)
            {
                var secrets = await client.CoreV1.ListNamespacedSecretAsync(ns, labelSelector: KubernetesAgentJob.SelectorOf(launch.SweepName), cancellationToken: ct).ConfigureAwait(false);
                foreach (var secret in secrets.Items)
                {
                    await DeleteSecretAsync(secret.Metadata.Name, ns, ct).ConfigureAwait(false);
                }
            }
        }, cancellationToken).ConfigureAwait(false);

        if (settings.Secret is null)
        {
            await CallAsync($"create the Secret {ns}/{request.SecretName}", ct => client.CoreV1.CreateNamespacedSecretAsync(KubernetesAgentJob.SecretOf(request, launch.Store), ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            _ownSecret = true;
        }

        var created = await CallAsync($"create the Job {ns}/{request.JobName}", ct => client.BatchV1.CreateNamespacedJobAsync(KubernetesAgentJob.Build(request), ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        JobName = created.Metadata.Name;
        await launch.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Created Kubernetes Job {ns}/{JobName}: {launch.Count} agents (indexes 0-{launch.Count - 1}), the store from Secret {ns}/{request.SecretName}. Their output: kubectl logs -n {ns} -l batch.kubernetes.io/job-name={JobName}")).ConfigureAwait(false);
        _watching = Task.Run(() => WatchAsync(_stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(TimeSpan grace)
    {
        if (JobName is null || _request is null)
        {
            return;
        }

        // The agents leave on their own once the sweep is closed; the Job and whatever still runs in it are then deleted.
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < grace && _status is not { Active: null or 0 } && !_noAgentCanRun.Task.IsCompleted)
        {
            await Task.Delay(PollInterval / 4, time).ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _watching.ConfigureAwait(false);
        var ns = _request.Namespace;
        try
        {
            await CallAsync($"delete the Job {ns}/{JobName}", ct => DeleteJobAsync(JobName, ns, ct), CancellationToken.None).ConfigureAwait(false);
            if (_ownSecret)
            {
                await CallAsync($"delete the Secret {ns}/{_request.SecretName}", ct => DeleteSecretAsync(_request.SecretName, ns, ct), CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (LauncherException exception)
        {
            await _launch!.Error.WriteLineAsync($"{exception.Message} Delete the agents with: kubectl delete job -n {ns} {JobName}").ConfigureAwait(false);
        }

        JobName = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        _stopping.Dispose();
        client.Dispose();
    }

    /// <summary>Describes the Job in one line: its pods by phase, and why pods wait.</summary>
    /// <param name="job">The Job's name.</param>
    /// <param name="status">The Job's status.</param>
    /// <param name="waiting">Why pods wait to start (ImagePullBackOff...), by reason.</param>
    /// <returns>Such as <c>agents (kubernetes job tune-s): 3 active, 1 failed (ErrImagePull)</c>.</returns>
    internal static string Summary(string job, V1JobStatus? status, IEnumerable<string> waiting)
    {
        var reasons = string.Join(", ", waiting.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return string.Create(CultureInfo.InvariantCulture,
            $"agents (kubernetes job {job}): {status?.Active ?? 0} active, {status?.Succeeded ?? 0} succeeded, {status?.Failed ?? 0} failed{(reasons.Length > 0 ? $"; waiting: {reasons}" : string.Empty)}");
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        var launch = _launch!;
        var ns = _request!.Namespace;
        var unreachable = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var job = await client.BatchV1.ReadNamespacedJobStatusAsync(JobName, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"batch.kubernetes.io/job-name={JobName}", cancellationToken: cancellationToken).ConfigureAwait(false);
                unreachable = false;
                _status = job.Status;
                var waiting = pods.Items
                    .SelectMany(p => p.Status?.ContainerStatuses ?? [])
                    .Select(c => c.State?.Waiting?.Reason)
                    .Where(r => r is not null and not "ContainerCreating" and not "PodInitializing")
                    .Select(r => r!);
                var summary = Summary(JobName!, job.Status, waiting);
                if (!string.Equals(summary, _lastSummary, StringComparison.Ordinal))
                {
                    _lastSummary = summary;
                    launch.OnAgentsChanged(summary);
                }

                // The Job controller's verdict: backoffLimit reached, a deadline passed (kubernetes.io/docs/concepts/workloads/controllers/job/#job-termination-and-cleanup).
                if (job.Status?.Conditions?.FirstOrDefault(c => c.Type == "Failed" && c.Status == "True") is { } failed)
                {
                    _noAgentCanRun.TrySetResult($"the Kubernetes Job {ns}/{JobName} failed ({failed.Reason}: {failed.Message}). See its pods: kubectl describe pods -n {ns} -l batch.kubernetes.io/job-name={JobName}");
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is HttpOperationException or HttpRequestException or TaskCanceledException)
            {
                if (!unreachable)
                {
                    await launch.Error.WriteLineAsync($"The Kubernetes API server did not answer about Job {ns}/{JobName} ({Describe(exception)}); still watching.").ConfigureAwait(false);
                }

                unreachable = true;
            }

            try
            {
                await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task DeleteJobAsync(string name, string ns, CancellationToken cancellationToken)
    {
        try
        {
            // Background: the Job goes at once and its pods (the agents) after it; a Job deleted without propagation would orphan them.
            await client.BatchV1.DeleteNamespacedJobAsync(name, ns, propagationPolicy: "Background", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }
    }

    private async Task DeleteSecretAsync(string name, string ns, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.DeleteNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }
    }

    private static async Task CallAsync(string what, Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        await CallAsync<object?>(what, async ct => { await call(ct).ConfigureAwait(false); return null; }, cancellationToken).ConfigureAwait(false);

    // One sentence for what the API server refused: the verb, the object, its status and its own message.
    private static async Task<T> CallAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpOperationException or HttpRequestException || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new LauncherException($"--launcher kubernetes could not {what}: {Describe(exception)}. Check the cluster (KUBECONFIG), the namespace and your permissions there.", exception);
        }
    }

    private static string Describe(Exception exception)
    {
        if (exception is TaskCanceledException)
        {
            return "no answer in time";
        }

        if (exception is not HttpOperationException { Response: { } response })
        {
            return exception.Message;
        }

        var status = (int)response.StatusCode;
        try
        {
            // The API server answers with a Status object whose message says what was wrong (kubernetes.io/docs/reference/using-api/api-concepts/#response-status-kind).
            var body = KubernetesJson.Deserialize<V1Status>(response.Content);
            return string.Create(CultureInfo.InvariantCulture, $"{status} {body.Reason}: {body.Message}");
        }
        catch (System.Text.Json.JsonException)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{status} {response.ReasonPhrase}");
        }
    }
}
