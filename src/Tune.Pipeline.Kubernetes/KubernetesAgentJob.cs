using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;
using Tune.Pipeline.Hosting.Launchers;

namespace Tune.Pipeline.Hosting.Kubernetes;

/// <summary>
/// Builds the one Job a sweep's agents run as: <c>batch/v1</c>, <c>completionMode: Indexed</c>, <c>parallelism</c> =
/// <c>completions</c> = agents, <c>restartPolicy: Never</c>, a <c>backoffLimit</c>, the agents' resources, and the
/// store's connection string from a Secret. The launcher creates it and <c>tune k8s manifest</c> prints it: both
/// build it here.
/// </summary>
/// <remarks>
/// An Indexed Job gives each pod its index in <c>JOB_COMPLETION_INDEX</c> (kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode),
/// the agent's index. The connection string reaches the agent as <see cref="AgentLaunch.StoreVariable"/> through
/// <c>secretKeyRef</c>, so it is in neither the Job's spec nor the pod's command line.
/// </remarks>
internal static class KubernetesAgentJob
{
    /// <summary>The label every object of ours carries, naming the sweep (a label value: at most 63 characters).</summary>
    public const string SweepLabel = "tune-pipeline.io/sweep";

    /// <summary>The annotation that holds the sweep's exact name, which a label value may not be able to.</summary>
    public const string SweepAnnotation = "tune-pipeline.io/sweep-name";

    public const string ManagedBy = "app.kubernetes.io/managed-by";

    public const string ManagedByValue = "tune-pipeline";

    public const string ContainerName = "agent";

    /// <summary>Gets the label selector of every Job and Secret of a sweep.</summary>
    /// <param name="sweepName">The sweep.</param>
    /// <returns><c>tune-pipeline.io/sweep=NAME,app.kubernetes.io/managed-by=tune-pipeline</c>.</returns>
    public static string SelectorOf(string sweepName) => $"{SweepLabel}={LabelOf(sweepName)},{ManagedBy}={ManagedByValue}";

    /// <summary>Builds the agents' Job.</summary>
    /// <param name="request">The sweep, its agents and the sweep file's settings.</param>
    /// <returns>The Job, not yet created.</returns>
    public static V1Job Build(KubernetesJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = request.Settings;
        var labels = LabelsOf(request.SweepName);
        var resources = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        if (settings.Cpu is { } cpu)
        {
            resources["cpu"] = new ResourceQuantity(cpu);
        }

        if (settings.Memory is { } memory)
        {
            resources["memory"] = new ResourceQuantity(memory);
        }

        var limits = new Dictionary<string, ResourceQuantity>(resources, StringComparer.Ordinal);
        if (request.GpusPerAgent > 0)
        {
            // Extended resources are given as limits only; their request defaults to the limit (and may not differ).
            limits["nvidia.com/gpu"] = new ResourceQuantity(request.GpusPerAgent.ToString(CultureInfo.InvariantCulture));
        }

        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = request.JobName,
                NamespaceProperty = request.Namespace,
                Labels = labels,
                Annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [SweepAnnotation] = request.SweepName },
            },
            Spec = new V1JobSpec
            {
                CompletionMode = "Indexed",
                Completions = request.Agents,
                Parallelism = request.Agents,
                BackoffLimit = settings.BackoffLimit ?? KubernetesSettings.DefaultBackoffLimit,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels, Annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [SweepAnnotation] = request.SweepName } },
                    Spec = new V1PodSpec
                    {
                        RestartPolicy = "Never",
                        ServiceAccountName = settings.ServiceAccount,
                        Containers =
                        [
                            new V1Container
                            {
                                Name = ContainerName,
                                Image = settings.Image,
                                Command = settings.Command.Count > 0 ? [.. settings.Command] : null,
                                Args = ["agent", .. request.Arguments],
                                Env =
                                [
                                    new V1EnvVar
                                    {
                                        Name = AgentLaunch.StoreVariable,
                                        ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Key = KubernetesSettings.SecretKey, Name = request.SecretName } },
                                    },
                                ],
                                Resources = resources.Count == 0 && limits.Count == 0 ? null : new V1ResourceRequirements
                                {
                                    Requests = resources.Count == 0 ? null : resources,
                                    Limits = limits.Count == 0 ? null : limits,
                                },
                            },
                        ],
                    },
                },
            },
        };
    }

    /// <summary>Builds the Secret that holds the store's connection string, for a launch that names none of its own.</summary>
    /// <param name="request">The sweep.</param>
    /// <param name="store">The <c>--store</c> text.</param>
    /// <returns>The Secret, not yet created.</returns>
    public static V1Secret SecretOf(KubernetesJobRequest request, string store)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Type = "Opaque",
            Metadata = new V1ObjectMeta
            {
                Name = request.SecretName,
                NamespaceProperty = request.Namespace,
                Labels = LabelsOf(request.SweepName),
                Annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [SweepAnnotation] = request.SweepName },
            },
            StringData = new Dictionary<string, string>(StringComparer.Ordinal) { [KubernetesSettings.SecretKey] = store },
        };
    }

    /// <summary>Writes the Job as YAML, as <c>kubectl apply -f</c> reads it.</summary>
    /// <param name="job">The Job.</param>
    /// <returns>The YAML text.</returns>
    public static string Yaml(V1Job job) => KubernetesYaml.Serialize(job);

    /// <summary>
    /// Turns a sweep's name into a DNS label part (lower-case letters, digits and '-'), at most <paramref name="length"/>
    /// characters; a name that had to change gets a short hash of the original, so that two sweeps never share one.
    /// </summary>
    /// <param name="sweepName">The sweep's name.</param>
    /// <param name="length">The most characters.</param>
    /// <returns>The name part.</returns>
    public static string NamePart(string sweepName, int length)
    {
        ArgumentNullException.ThrowIfNull(sweepName);
        var text = new StringBuilder();
        foreach (var c in sweepName.ToLowerInvariant())
        {
            text.Append(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '-');
        }

        var clean = text.ToString().Trim('-');
        if (string.Equals(clean, sweepName, StringComparison.Ordinal) && clean.Length <= length)
        {
            return clean;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sweepName)))[..8];
        var room = length - hash.Length - 1;
        var head = clean.Length > room ? clean[..room].TrimEnd('-') : clean;
        return head.Length == 0 ? hash : $"{head}-{hash}";
    }

    private static string LabelOf(string sweepName) => NamePart(sweepName, 63);

    private static Dictionary<string, string> LabelsOf(string sweepName) => new(StringComparer.Ordinal)
    {
        [SweepLabel] = LabelOf(sweepName),
        [ManagedBy] = ManagedByValue,
    };
}

/// <summary>What the agents' Job is built from.</summary>
internal sealed record KubernetesJobRequest
{
    public required string SweepName { get; init; }

    public required int Agents { get; init; }

    /// <summary>Gets the <c>agent</c> verb's arguments, without <c>--store</c>.</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    public int GpusPerAgent { get; init; }

    public required KubernetesSettings Settings { get; init; }

    /// <summary>Gets a suffix that makes this launch's Job name its own (a controller that resumes a sweep starts a new Job).</summary>
    public string Suffix { get; init; } = string.Empty;

    public string Namespace => Settings.Namespace ?? KubernetesSettings.DefaultNamespace;

    /// <summary>Gets the Job's name: <c>tune-SWEEP[-SUFFIX]</c>, a DNS label (63 characters at most).</summary>
    public string JobName => Suffix.Length == 0
        ? $"tune-{KubernetesAgentJob.NamePart(SweepName, 58)}"
        : $"tune-{KubernetesAgentJob.NamePart(SweepName, 57 - Suffix.Length)}-{Suffix}";

    /// <summary>Gets the Secret the agents read the store from: the sweep file's, else one named after the Job.</summary>
    public string SecretName => Settings.Secret ?? $"{JobName}-store";
}
