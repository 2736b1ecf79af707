namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// Represents an MLflow experiment.
/// </summary>
/// <param name="ExperimentId">The experiment's id.</param>
/// <param name="Name">The experiment's unique name.</param>
/// <param name="ArtifactLocation">Where its runs' artifacts go, such as <c>mlflow-artifacts:/1</c>.</param>
/// <param name="LifecycleStage"><c>active</c> or <c>deleted</c>.</param>
public sealed record MLflowExperiment(string ExperimentId, string Name, string? ArtifactLocation, string? LifecycleStage);
