namespace Tune.Pipeline.Stores;

/// <summary>
/// Represents tracking that an experiment executable can opt into by referencing its package (Tune.Pipeline.MLflow):
/// the host finds the provider through <see cref="SweepTrackerProviderAttribute"/> when a sweep asks to be tracked, and
/// the provider forwards what the sweep store records.
/// </summary>
/// <remarks>
/// The extension point lives here, beside <see cref="ISweepStoreProvider"/>, rather than in Hosting: tracking is
/// delivery of this store's outbox, so a tracking package needs the store and nothing above it, and a package that
/// referenced Hosting would point the dependencies outward (Hosting composes packages; packages do not know the host).
/// </remarks>
public interface ISweepTrackerProvider
{
    /// <summary>
    /// Checks the tracking settings, then records the experiment and objective names in the store and starts forwarding
    /// the store's outbox in the background.
    /// </summary>
    /// <param name="store">The store to forward from: a connection of its own, which the caller disposes after the tracker.</param>
    /// <param name="options">The sweep, the tracking server and where to write what the tracker says.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running tracker; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">
    /// The settings cannot be used (a tracking URI that is not a URL, say); nothing has been written to the store, and the
    /// message never repeats a secret.
    /// </exception>
    ValueTask<ISweepTracker> StartAsync(SqlSweepStore store, SweepTrackerOptions options, CancellationToken cancellationToken);
}
