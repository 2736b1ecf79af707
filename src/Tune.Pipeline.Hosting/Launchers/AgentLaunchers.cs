namespace Tune.Pipeline.Hosting.Launchers;

/// <summary>
/// Picks the launcher a sweep's <c>--launcher</c> (or <c>agents.launcher</c>) names: <c>local</c> child processes, the
/// default; <c>slurm</c>, which needs only Slurm's command line; <c>kubernetes</c>, in the Tune.Pipeline.Kubernetes
/// package, loaded by name like the optional stores so that an experiment that does not ask for it carries no
/// Kubernetes client.
/// </summary>
internal static class AgentLaunchers
{
    public const string Local = "local";

    public const string Slurm = "slurm";

    public const string Kubernetes = "kubernetes";

    /// <summary>The package that holds the Kubernetes launcher.</summary>
    public const string KubernetesPackage = "Tune.Pipeline.Kubernetes";

    public static IReadOnlyList<string> Names { get; } = [Local, Slurm, Kubernetes];

    /// <summary>Gets whether a launcher places agents on other machines, which then need a store every node reaches.</summary>
    /// <param name="name">The launcher's name.</param>
    /// <returns><see langword="true"/> for <c>slurm</c> and <c>kubernetes</c>.</returns>
    public static bool IsRemote(string name) => !string.Equals(name, Local, StringComparison.Ordinal);

    /// <summary>Creates the launcher <paramref name="name"/> names.</summary>
    /// <param name="name">One of <see cref="Names"/>, as <see cref="SweepSettings.Resolve"/> checked it.</param>
    /// <param name="error">Where launchers write what the user must know.</param>
    /// <param name="time">The clock launchers poll and wait with.</param>
    /// <returns>The launcher; the caller disposes it.</returns>
    /// <exception cref="UsageException">The launcher's package is not in this executable.</exception>
    public static IAgentLauncher Create(string name, TextWriter error, TimeProvider time) => name switch
    {
        Local => new AgentSupervisor(error, time),
        Slurm => new SlurmLauncher(time),
        Kubernetes => (OptionalPackages.Load<AgentLauncherProviderAttribute, IAgentLauncherProvider>(KubernetesPackage, a => a.ProviderType)
            ?? throw new UsageException($"--launcher kubernetes needs the {KubernetesPackage} package: {OptionalPackages.HowToAdd(KubernetesPackage)}.")).Create(time),
        _ => throw new UsageException($"--launcher is '{name}'; use one of {string.Join(", ", Names)}."),
    };
}

/// <summary>Names the launcher provider of an optional launcher package, which the host loads by the package's name.</summary>
/// <param name="providerType">A type with a public parameterless constructor that implements <see cref="IAgentLauncherProvider"/>.</param>
[AttributeUsage(AttributeTargets.Assembly)]
internal sealed class AgentLauncherProviderAttribute(Type providerType) : Attribute
{
    public Type ProviderType { get; } = providerType;
}

/// <summary>Creates an optional package's launcher.</summary>
internal interface IAgentLauncherProvider
{
    IAgentLauncher Create(TimeProvider time);
}
