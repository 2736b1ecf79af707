namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// Represents a registered model of MLflow's model registry.
/// </summary>
/// <param name="Name">The model's unique name.</param>
/// <param name="Description">The model's description, if any.</param>
public sealed record MLflowRegisteredModel(string Name, string? Description);

/// <summary>
/// Represents one version of a registered model.
/// </summary>
/// <param name="Name">The registered model's name.</param>
/// <param name="Version">The version number, as the server writes it (<c>"1"</c>, <c>"2"</c>, ...).</param>
/// <param name="Source">Where the model's files are, such as <c>mlflow-artifacts:/1/&lt;run&gt;/artifacts/model</c>.</param>
/// <param name="RunId">The run that produced it, if any.</param>
/// <param name="Status">The registration status, such as <c>READY</c>.</param>
public sealed record MLflowModelVersion(string Name, string Version, string Source, string? RunId, string? Status);
