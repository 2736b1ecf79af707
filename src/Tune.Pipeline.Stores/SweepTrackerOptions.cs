namespace Tune.Pipeline.Stores;

/// <summary>Gets or sets what an <see cref="ISweepTrackerProvider"/> tracks, where, and where it reports.</summary>
public sealed class SweepTrackerOptions
{
    /// <summary>Gets or sets the sweep's name.</summary>
    /// <value>Required.</value>
    public required string SweepName { get; set; }

    /// <summary>Gets or sets the experiment's name, which the tracking server files the sweep under.</summary>
    /// <value>Required.</value>
    public required string ExperimentName { get; set; }

    /// <summary>Gets or sets the objective's metric name, such as <c>auc</c>.</summary>
    /// <value>Required.</value>
    public required string ObjectiveMetric { get; set; }

    /// <summary>Gets or sets the tracking server's URL.</summary>
    /// <value>Defaults to <see langword="null"/>: the tracking package's own environment variable (<c>MLFLOW_TRACKING_URI</c>).</value>
    public string? TrackingUri { get; set; }

    /// <summary>Gets or sets the registered model that <see cref="ISweepTracker.RegisterModelAsync"/> adds a version to.</summary>
    /// <value>Defaults to <see langword="null"/>: no model is registered.</value>
    public string? RegisteredModel { get; set; }

    /// <summary>Gets or sets how an environment variable is read (credentials come from the environment).</summary>
    /// <value>Defaults to <see cref="Environment.GetEnvironmentVariable(string)"/>.</value>
    public Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Gets or sets the clock that paces retries.</summary>
    /// <value>Defaults to <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets where the tracker says what it delivered and registered.</summary>
    /// <value>Defaults to <see cref="TextWriter.Null"/>.</value>
    public TextWriter Output { get; set; } = TextWriter.Null;

    /// <summary>Gets or sets where the tracker writes its warnings; it writes from background threads, under a lock on the writer.</summary>
    /// <value>Defaults to <see cref="TextWriter.Null"/>.</value>
    public TextWriter Error { get; set; } = TextWriter.Null;
}
