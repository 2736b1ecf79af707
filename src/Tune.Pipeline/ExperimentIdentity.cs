namespace Tune.Pipeline;

/// <summary>
/// Represents who a search space belongs to: the experiment's name and its objective, as declared by
/// <see cref="ExperimentAttribute"/> and <see cref="ObjectiveAttribute"/>.
/// </summary>
/// <param name="Name">The experiment's name: the default sweep name, the MLflow experiment, the published folder.</param>
/// <param name="ObjectiveMetric">The objective's metric name.</param>
/// <param name="Goal">Whether the objective is maximized or minimized.</param>
/// <remarks>
/// The source generator gives every generated search space its experiment's identity
/// (<see cref="SearchSpaces.SearchSpace{TParameters}.Experiment"/>), so a host reads it from the space and never
/// from copied constants. A model type: equatable by value.
/// </remarks>
public sealed record ExperimentIdentity(string Name, string ObjectiveMetric, Goal Goal);
