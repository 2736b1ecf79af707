using Tune.Pipeline.Stores;
using Tune.Pipeline.Tracking.MLflow;

[assembly: SweepTrackerProvider(typeof(MLflowSweepTrackerProvider))]

namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// Tracks sweeps in MLflow for an experiment executable that references this package: the server comes from
/// <see cref="SweepTrackerOptions.TrackingUri"/> or <c>MLFLOW_TRACKING_URI</c>, credentials from MLflow's own variables.
/// </summary>
public sealed class MLflowSweepTrackerProvider : ISweepTrackerProvider
{
    /// <inheritdoc/>
    public ValueTask<ISweepTracker> StartAsync(SqlSweepStore store, SweepTrackerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        return MLflowSweepTracker.StartAsync(store, options, cancellationToken);
    }
}
