using Tune.Pipeline.Samplers;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// Represents what <see cref="ExperimentHost"/> needs beyond the experiment and its search space: overrides of the
/// identity the generated space carries, the samplers <c>--sampler</c> can name, the data files, and where output goes.
/// </summary>
public sealed class ExperimentHostOptions
{
    /// <summary>Gets or sets the experiment's name, overriding the one its generated space carries.</summary>
    /// <value>Defaults to <see langword="null"/>: the <c>[Experiment]</c> name, from the space's <see cref="SearchSpaces.SearchSpace{TParameters}.Experiment"/>.</value>
    public string? ExperimentName { get; set; }

    /// <summary>Gets or sets whether the objective is maximized or minimized, overriding the generated space.</summary>
    /// <value>Defaults to <see langword="null"/>: the <c>[Objective]</c> goal.</value>
    public Goal? Goal { get; set; }

    /// <summary>Gets or sets the objective's metric name, overriding the generated space.</summary>
    /// <value>Defaults to <see langword="null"/>: the <c>[Objective]</c> metric.</value>
    /// <remarks>A space without an identity (written by hand) needs all three of the name, metric and goal set here.</remarks>
    public string? ObjectiveMetric { get; set; }

    /// <summary>Gets the samplers <c>--sampler</c> accepts, by name, each creating its options for a seed.</summary>
    /// <value>Defaults to every name of <see cref="SamplerCatalog"/> (<c>auto</c>, the default, <c>gp</c>, <c>grid</c>, <c>random</c>, <c>sobol</c>, <c>tpe</c>); add to it to offer more.</value>
    public IDictionary<string, Func<SamplerOptions>> Samplers { get; } = SamplerCatalog.Names.ToDictionary(
        name => name, name => (Func<SamplerOptions>)(() => SamplerCatalog.CreateOptions(name)), StringComparer.OrdinalIgnoreCase);

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
