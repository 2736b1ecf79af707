using Tune.Pipeline.Samplers;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// Represents what <see cref="ExperimentHost"/> needs beyond the experiment and its search space: the experiment's
/// name and goal, the samplers <c>--sampler</c> can name, and where output goes.
/// </summary>
public sealed class ExperimentHostOptions
{
    /// <summary>Gets or sets the experiment's name: the default sweep name.</summary>
    /// <value>Defaults to <see langword="null"/>: the experiment type's name.</value>
    public string? ExperimentName { get; set; }

    /// <summary>Gets or sets whether the objective is maximized or minimized.</summary>
    /// <value>Defaults to <see cref="Goal.Minimize"/>.</value>
    public Goal Goal { get; set; } = Goal.Minimize;

    /// <summary>Gets the samplers <c>--sampler</c> accepts, by name, each creating its options for a seed.</summary>
    /// <value>Defaults to every name of <see cref="SamplerCatalog"/> (<c>auto</c>, the default, <c>gp</c>, <c>grid</c>, <c>random</c>, <c>sobol</c>, <c>tpe</c>); add to it to offer more.</value>
    public IDictionary<string, Func<SamplerOptions>> Samplers { get; } = SamplerCatalog.Names.ToDictionary(
        name => name, name => (Func<SamplerOptions>)(() => SamplerCatalog.CreateOptions(name)), StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the objective's metric name, shown in progress, the summary, the manifest and the report.</summary>
    /// <value><c>objective</c> by default; pass the generated space's <c>ObjectiveMetric</c>.</value>
    public string ObjectiveMetric { get; set; } = "objective";

    /// <summary>Gets the data files whose SHA-256 the published manifest records as the data fingerprint.</summary>
    /// <value>Empty by default: the manifest then records no data fingerprint.</value>
    public IList<string> DataFiles { get; } = [];

    /// <summary>Gets or sets where results and progress are written.</summary>
    /// <value>Defaults to <see langword="null"/>: the console's standard output.</value>
    public TextWriter? Output { get; set; }

    /// <summary>Gets or sets where errors and agent output are written.</summary>
    /// <value>Defaults to <see langword="null"/>: the console's standard error.</value>
    public TextWriter? Error { get; set; }

    /// <summary>Gets or sets the clock.</summary>
    /// <value>Defaults to <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
