namespace Tune.Pipeline;

/// <summary>
/// Represents what an experiment is given to prepare its data or to retrain: a seed, a number of threads and a
/// directory for artifacts.
/// </summary>
public sealed class ExperimentContext
{
    /// <summary>Gets the seed for the experiment's own randomness.</summary>
    /// <value>Defaults to 0.</value>
    public long Seed { get; init; }

    /// <summary>Gets the number of threads the experiment may use.</summary>
    /// <value>Defaults to 1.</value>
    public int Threads { get; init; } = 1;

    /// <summary>Gets the directory the experiment may write artifacts (a model, plots) to. Core never creates it.</summary>
    /// <value>Defaults to <c>artifacts</c>.</value>
    public string ArtifactsDirectory { get; init; } = "artifacts";

    /// <summary>Gets the device the agent was given, such as <c>cuda:0</c> (see <see cref="Devices"/>), where data prepared once per agent should live.</summary>
    /// <value><see langword="null"/> (the default) for a CPU agent, and for a retrain.</value>
    public string? Device { get; init; }
}
