namespace Tune.Pipeline;

/// <summary>
/// Marks a class as an experiment: the source generator produces a typed search space for its parameters type, and the
/// analyzers check its declaration.
/// </summary>
/// <remarks>
/// The class must be <see langword="partial"/>, implement <see cref="IExperiment{TParameters}"/> and carry exactly one
/// <see cref="ObjectiveAttribute"/>.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ExperimentAttribute : Attribute
{
    /// <summary>
    /// Initializes a new instance of the <see cref="ExperimentAttribute"/> class named after the class.
    /// </summary>
    public ExperimentAttribute()
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="ExperimentAttribute"/> class.
    /// </summary>
    /// <param name="name">The experiment's name, as shown in the store, MLflow and the CLI.</param>
    public ExperimentAttribute(string name)
    {
        Name = name;
    }

    /// <summary>
    /// Gets the experiment's name, or <see langword="null"/> to use the class name in kebab case.
    /// </summary>
    public string? Name { get; }
}
