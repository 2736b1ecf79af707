using System.CommandLine;
using Tune.Pipeline.Hosting;
using Tune.Pipeline.Hosting.Kubernetes;
using Tune.Pipeline.Hosting.Launchers;
using Tune.Pipeline.Hosting.SweepFiles;

namespace Tune.Pipeline.Cli.Kubernetes;

/// <summary>
/// <c>tune k8s manifest</c>: prints the agents' Job as YAML, the very Job <c>--launcher kubernetes</c> creates
/// (<see cref="KubernetesAgentJob.Build"/>), for teams that apply manifests from git (GitOps) rather than let the
/// controller create them. The Job reads the store from a Secret the team creates; the manifest holds no secret.
/// </summary>
internal static class KubernetesCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "A sweep file whose agents.kubernetes section (image, namespace, cpu, memory, gpus-per-agent, backoff-limit, secret, command) the Job follows." };
        var sweep = new Option<string>("--sweep") { Description = "The sweep the agents join.", Required = true };
        var agents = new Option<int>("--agents") { Description = "How many agents: the Job's parallelism and completions.", Required = true };
        var image = new Option<string?>("--image") { Description = "The container image of the published experiment (wins over agents.kubernetes.image)." };
        var ns = new Option<string?>("--namespace") { Description = $"The Job's namespace (wins over agents.kubernetes.namespace; default {KubernetesSettings.DefaultNamespace})." };
        var secret = new Option<string?>("--secret") { Description = $"The Secret that holds the store's connection string under the key '{KubernetesSettings.SecretKey}' (wins over agents.kubernetes.secret; default tune-SWEEP-store)." };
        var threads = new Option<int?>("--threads-per-trial") { Description = "Threads each trial may use (default: agents.cpu.threads-per-trial, else the whole CPUs of agents.kubernetes.cpu, else 1)." };
        var lease = new Option<string?>("--lease-timeout") { Description = "The sweep's --lease-timeout, which the agents heartbeat by (default 30s)." };
        var manifest = new Command("manifest", "Print the agents' Kubernetes Job as YAML (kubectl apply -f -), the same Job --launcher kubernetes creates; the store comes from a Secret you create.")
        {
            config, sweep, agents, image, ns, secret, threads, lease,
        };
        manifest.SetAction(async (result, cancellationToken) =>
        {
            var file = result.GetValue(config) is { } path ? SweepFileParser.Load(path) : null;
            var sweepName = SweepNames.Check(result.GetValue(sweep)!);
            var count = result.GetValue(agents);
            if (count < 1)
            {
                throw new UsageException($"--agents is {count}; the Job runs at least 1 agent.");
            }

            var settings = (file?.Agents.LauncherSettings.Kubernetes ?? new KubernetesSettings()) with { };
            settings = settings with
            {
                Image = result.GetValue(image) ?? settings.Image ?? throw new UsageException("The Job needs the container image of the published experiment: pass --image, or set agents.kubernetes.image in the sweep file given with --config."),
                Namespace = result.GetValue(ns) ?? settings.Namespace,
                Secret = result.GetValue(secret) ?? settings.Secret,
            };
            var request = new KubernetesJobRequest
            {
                SweepName = sweepName,
                Agents = count,
                Arguments = AgentLaunch.CommonArguments(
                    sweepName,
                    result.GetValue(threads) ?? file?.Agents.ThreadsPerTrial ?? SweepSettings.RemoteThreadsPerTrial(AgentLaunchers.Kubernetes, new LauncherSettings { Kubernetes = settings }) ?? 1,
                    result.GetValue(lease) is { } text ? Durations.Parse(text, "--lease-timeout") : new SweepArguments().LeaseTimeout),
                GpusPerAgent = settings.GpusPerAgent ?? 0,
                Settings = settings,
            };
            var output = result.InvocationConfiguration.Output;
            await output.WriteLineAsync($"# The agents of sweep '{sweepName}'. The store's connection string comes from the Secret {request.Namespace}/{request.SecretName}; create it once with:").ConfigureAwait(false);
            await output.WriteLineAsync($"#   kubectl create secret generic {request.SecretName} -n {request.Namespace} --from-literal={KubernetesSettings.SecretKey}='postgresql://user:password@host:5432/database'").ConfigureAwait(false);
            await output.WriteLineAsync($"# Run the controller with --agents 0 (it starts no agents of its own), then: kubectl apply -f this file.").ConfigureAwait(false);
            await output.WriteLineAsync(KubernetesAgentJob.Yaml(KubernetesAgentJob.Build(request)).TrimEnd('\n')).ConfigureAwait(false);
            return ExperimentHost.Success;
        });
        return new Command("k8s", "Kubernetes: print the agents' Job for GitOps (see docs/scale-out.md).") { manifest };
    }
}
