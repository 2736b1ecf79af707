using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Publishing;

/// <summary>
/// Represents what to publish: a finished sweep, where the retrained model was staged, and the provenance to record.
/// A record, so a host can start from <see cref="For"/> and change a few properties with <c>with</c>.
/// </summary>
public sealed record PublishRequest
{
    /// <summary>Gets the experiment's name; the folder published is <c>{ArtifactsRoot}/{Experiment}</c>.</summary>
    public required string Experiment { get; init; }

    /// <summary>Gets the objective metric's name, such as <c>auc</c>.</summary>
    public required string ObjectiveMetric { get; init; }

    /// <summary>Gets the search space the sweep ran on (its fingerprint is recorded).</summary>
    public required SearchSpace Space { get; init; }

    /// <summary>Gets the finished sweep's result; its best trial is what is published.</summary>
    public required SweepResult Result { get; init; }

    /// <summary>Gets the sweep's seed.</summary>
    public required long Seed { get; init; }

    /// <summary>Gets whether the objective was maximized or minimized.</summary>
    public required Goal Goal { get; init; }

    /// <summary>Gets the sampler's name, as recorded in the lock file: a <see cref="Samplers.SamplerCatalog"/> name.</summary>
    /// <value>Defaults to <c>auto</c>, the sweep builder's default.</value>
    public string SamplerName { get; init; } = Samplers.SamplerCatalog.DefaultName;

    /// <summary>Gets the sweep's maximum of concurrent trials, recorded in the lock file for <c>tune replay</c>.</summary>
    /// <value>Defaults to <see langword="null"/>: not recorded.</value>
    public int? MaxConcurrentTrials { get; init; }

    /// <summary>Gets the earlier trials the sweep's sampler was warm-started with, recorded in the lock file for <c>tune replay</c>.</summary>
    /// <value>Defaults to none.</value>
    public IReadOnlyList<Trial> WarmStartTrials { get; init; } = [];

    /// <summary>Gets the folder the experiment's <c>RetrainAsync</c> wrote the model files into.</summary>
    /// <value>Defaults to <see langword="null"/>: publish the manifest and lock file without a model.</value>
    /// <remarks>Every file under it is copied, keeping sub-folders; it must not hold a <c>manifest.json</c> or <c>sweep.lock.json</c>.</remarks>
    public string? ModelDirectory { get; init; }

    /// <summary>Gets the folder that receives one sub-folder per experiment.</summary>
    /// <value>Defaults to <c>artifacts</c>, relative to the current directory.</value>
    public string ArtifactsRoot { get; init; } = "artifacts";

    /// <summary>Gets a fingerprint of the data the model was trained on (see <see cref="DataFingerprint"/>).</summary>
    /// <value>Defaults to <see langword="null"/>: not recorded.</value>
    public string? DataFingerprint { get; init; }

    /// <summary>Gets the commit to record.</summary>
    /// <value>Defaults to <see langword="null"/>: read from the Git working tree around <see cref="RepositoryDirectory"/>, or <c>unknown</c>.</value>
    public string? GitCommit { get; init; }

    /// <summary>Gets a directory inside the Git working tree whose commit is recorded.</summary>
    /// <value>Defaults to <see langword="null"/>: the current directory.</value>
    public string? RepositoryDirectory { get; init; }

    /// <summary>Gets the version of the tool that published.</summary>
    /// <value>Defaults to <see langword="null"/>: this assembly's informational version.</value>
    public string? ToolVersion { get; init; }

    /// <summary>Creates a request from the sweep that ran and its result.</summary>
    /// <param name="experiment">The experiment's name.</param>
    /// <param name="objectiveMetric">The objective metric's name.</param>
    /// <param name="sweep">The sweep: its space, seed, goal and sampler are recorded.</param>
    /// <param name="result">Its result.</param>
    /// <returns>The request, with the other properties at their defaults.</returns>
    public static PublishRequest For(string experiment, string objectiveMetric, Sweep sweep, SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        return new PublishRequest
        {
            Experiment = experiment,
            ObjectiveMetric = objectiveMetric,
            Space = sweep.Space,
            Result = result,
            Seed = sweep.Seed,
            Goal = sweep.Goal,
            SamplerName = Samplers.SamplerCatalog.NameOf(sweep.Sampler),
            MaxConcurrentTrials = sweep.MaxConcurrentTrials,
            WarmStartTrials = sweep.WarmStartTrials,
        };
    }
}
