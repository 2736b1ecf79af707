using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Hosting.SweepFiles;

/// <summary>
/// Represents an experiment's generated space with a sweep file's overrides applied: the same parameters in the same
/// order, some narrowed or re-scaled. Its configurations convert to the experiment's parameters through the declared
/// space, which accepts every value an override can propose (overrides never widen).
/// </summary>
/// <typeparam name="TParameters">The experiment's parameters type.</typeparam>
internal sealed class OverriddenSearchSpace<TParameters> : SearchSpace<TParameters>
    where TParameters : class
{
    private readonly SearchSpace<TParameters> _declared;

    /// <summary>Initializes a new instance of the <see cref="OverriddenSearchSpace{TParameters}"/> class.</summary>
    /// <param name="declared">The generated space.</param>
    /// <param name="overridden">The space to sweep: <paramref name="declared"/>'s parameters with the overrides in place.</param>
    public OverriddenSearchSpace(SearchSpace<TParameters> declared, SearchSpace overridden)
        : base(overridden.Parameters)
    {
        _declared = declared;
    }

    /// <inheritdoc/>
    public override ExperimentIdentity? Experiment => _declared.Experiment;

    /// <inheritdoc/>
    public override TParameters ToParameters(Configuration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return _declared.ToParameters(_declared.CreateConfiguration([.. configuration.Values]));
    }

    /// <inheritdoc/>
    public override Configuration ToConfiguration(TParameters parameters) =>
        CreateConfiguration([.. _declared.ToConfiguration(parameters).Values]);

    /// <inheritdoc/>
    protected override TParameters CreateDefault() => _declared.Default;
}
