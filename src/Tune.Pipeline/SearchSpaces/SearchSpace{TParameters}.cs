namespace Tune.Pipeline.SearchSpaces;

/// <summary>
/// Represents a search space whose configurations convert to and from a typed parameters object. The source
/// generator derives one per experiment (<c>{Experiment}SearchSpace</c>) from the parameter attributes.
/// </summary>
/// <typeparam name="TParameters">The parameters type: a class whose properties carry the distribution attributes.</typeparam>
public abstract class SearchSpace<TParameters> : SearchSpace
    where TParameters : class
{
    /// <summary>Initializes a new instance of the <see cref="SearchSpace{TParameters}"/> class.</summary>
    /// <param name="parameters">The parameters, in property order.</param>
    protected SearchSpace(IEnumerable<Parameter> parameters)
        : base(parameters)
    {
    }

    /// <summary>Gets the experiment this space belongs to: its name, objective metric and goal.</summary>
    /// <value>
    /// The generated space of an <c>[Experiment]</c> class returns the declared identity; a hand-written space returns
    /// <see langword="null"/> unless it overrides this, and a host then needs the identity from its own options.
    /// </value>
    public virtual ExperimentIdentity? Experiment => null;

    /// <summary>Gets the default parameters: a new instance with the property initializers' values.</summary>
    public TParameters Default => CreateDefault();

    /// <summary>Gets the default parameters as a configuration, checked against the space.</summary>
    /// <exception cref="InvalidConfigurationException">A default lies outside its parameter's range.</exception>
    public Configuration DefaultConfiguration => ToConfiguration(CreateDefault());

    /// <summary>Converts a configuration of this space to a parameters object.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The parameters.</returns>
    public abstract TParameters ToParameters(Configuration configuration);

    /// <summary>Converts a parameters object to a configuration, checking every value against the space.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="InvalidConfigurationException">A value is out of range; the message names the parameter.</exception>
    public abstract Configuration ToConfiguration(TParameters parameters);

    /// <summary>Draws parameters with each value from its own distribution.</summary>
    /// <param name="random">The random source.</param>
    /// <returns>The parameters.</returns>
    public TParameters SampleParameters(Random random) => ToParameters(Sample(random));

    /// <summary>Builds parameters from names and values (choices as values, never indexes).</summary>
    /// <param name="values">One entry per parameter.</param>
    /// <returns>The parameters.</returns>
    /// <exception cref="InvalidConfigurationException">An entry is missing, unknown or out of range.</exception>
    public TParameters ParseParameters(IReadOnlyDictionary<string, object?> values) => ToParameters(FromDictionary(values));

    /// <inheritdoc/>
    internal override Configuration? GetDefaultConfiguration() => DefaultConfiguration;

    /// <summary>Creates the default parameters object.</summary>
    /// <returns>A new instance with the property initializers' values.</returns>
    protected abstract TParameters CreateDefault();
}
