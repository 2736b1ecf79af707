namespace Tune.Pipeline.Stores;

/// <summary>
/// Represents the tracking of one sweep, started by an <see cref="ISweepTrackerProvider"/>: it forwards the store's
/// outbox in the background until <see cref="FinishAsync"/> or disposal.
/// </summary>
/// <remarks>
/// The sweep never waits for the tracking server: everything is in the store first, and what the server did not take
/// waits there for a later delivery. Warnings go to <see cref="SweepTrackerOptions.Error"/>, never with a secret.
/// </remarks>
public interface ISweepTracker : IAsyncDisposable
{
    /// <summary>Stops the background forwarding and delivers what is left within a bounded wait.</summary>
    /// <param name="cancellationToken">Cancels the delivery.</param>
    /// <returns>
    /// <see langword="true"/> when the server took everything (said on <see cref="SweepTrackerOptions.Output"/>);
    /// <see langword="false"/> when events still wait in the store.
    /// </returns>
    Task<bool> FinishAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Registers the published model as a new version of <see cref="SweepTrackerOptions.RegisteredModel"/>, when one is
    /// named: uploads the folder's files to the sweep's run, then creates the version from there.
    /// </summary>
    /// <param name="publishedDirectory">The published folder, such as <c>artifacts/&lt;experiment&gt;</c>.</param>
    /// <param name="cancellationToken">Cancels the registration.</param>
    /// <returns>
    /// <see langword="true"/> when registered or not asked; <see langword="false"/> when the server could not do it (said on
    /// <see cref="SweepTrackerOptions.Error"/>).
    /// </returns>
    Task<bool> RegisterModelAsync(string publishedDirectory, CancellationToken cancellationToken);
}
