namespace Tune.Pipeline;

/// <summary>
/// Represents an experiment whose hyperparameters, <typeparamref name="TParameters"/>, are tuned. Mark the class with
/// <see cref="ExperimentAttribute"/> and <see cref="ObjectiveAttribute"/>; the generator then produces its typed
/// search space.
/// </summary>
/// <typeparam name="TParameters">The parameters type, whose properties carry the distribution attributes.</typeparam>
/// <remarks>This is a placeholder contract that the sweep engine completes; its name and type parameter are fixed.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1040", Justification = "Completed by the sweep engine.")]
public interface IExperiment<TParameters>
    where TParameters : class
{
}
