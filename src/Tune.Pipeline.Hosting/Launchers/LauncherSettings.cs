namespace Tune.Pipeline.Hosting.Launchers;

/// <summary>The sweep file's settings of the remote launchers: <c>agents.slurm</c> and <c>agents.kubernetes</c>.</summary>
internal sealed record LauncherSettings
{
    public SlurmSettings Slurm { get; init; } = new();

    public KubernetesSettings Kubernetes { get; init; } = new();
}

/// <summary>The <c>agents.slurm</c> section: how the job array of agents is submitted.</summary>
internal sealed record SlurmSettings
{
    /// <summary>Gets the partition (<c>--partition</c>); the cluster's default when <see langword="null"/>.</summary>
    public string? Partition { get; init; }

    /// <summary>Gets the time limit of each array task (<c>--time</c>, Slurm's own syntax such as <c>2:00:00</c> or <c>1-12</c>).</summary>
    public string? Time { get; init; }

    /// <summary>Gets the CPUs each agent gets (<c>--cpus-per-task</c>); also its trials' threads unless threads-per-trial is set.</summary>
    public int? CpusPerTask { get; init; }

    /// <summary>Gets the GPUs each agent gets (<c>--gres=gpu:k</c>).</summary>
    public int? GpusPerAgent { get; init; }

    /// <summary>Gets extra <c>#SBATCH</c> lines, each an sbatch option such as <c>--mem=8G</c> or <c>--account=ml</c>.</summary>
    public IReadOnlyList<string> Sbatch { get; init; } = [];

    /// <summary>Gets the agent executable every node runs (the published experiment on a shared path); this executable when <see langword="null"/>.</summary>
    public string? Command { get; init; }
}

/// <summary>The <c>agents.kubernetes</c> section: the Indexed Job of agents.</summary>
internal sealed record KubernetesSettings
{
    public const string DefaultNamespace = "default";

    public const int DefaultBackoffLimit = 6;

    /// <summary>Gets the key of the Secret that holds the store's connection string.</summary>
    public const string SecretKey = "store";

    /// <summary>Gets the namespace of the Job and the Secret.</summary>
    public string? Namespace { get; init; }

    /// <summary>Gets the container image holding the published experiment; its entrypoint is the experiment's executable unless <see cref="Command"/> says otherwise.</summary>
    public string? Image { get; init; }

    /// <summary>Gets the command that starts the experiment's executable in the image; the image's entrypoint when empty.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>Gets each agent's CPU request and limit, in Kubernetes quantity syntax (<c>2</c>, <c>500m</c>).</summary>
    public string? Cpu { get; init; }

    /// <summary>Gets each agent's memory request and limit (<c>4Gi</c>).</summary>
    public string? Memory { get; init; }

    /// <summary>Gets the GPUs each agent gets (<c>nvidia.com/gpu</c>).</summary>
    public int? GpusPerAgent { get; init; }

    /// <summary>Gets how many pod failures the Job tolerates before it fails (<c>backoffLimit</c>).</summary>
    public int? BackoffLimit { get; init; }

    /// <summary>Gets the name of an existing Secret holding the store's connection string under the key <c>store</c>; when <see langword="null"/>, the launcher creates one for the sweep and deletes it at the end.</summary>
    public string? Secret { get; init; }

    /// <summary>Gets the service account the agents' pods run as; the namespace's default when <see langword="null"/>.</summary>
    public string? ServiceAccount { get; init; }
}
