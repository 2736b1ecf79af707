namespace Tune.Pipeline.Stores;

/// <summary>
/// Represents a sweep store that an experiment executable can opt into by referencing its package: the host finds the
/// provider through <see cref="SweepStoreProviderAttribute"/> when a <c>--store</c> names its scheme
/// (Hosting's <c>SweepStores</c> maps schemes to packages).
/// </summary>
public interface ISweepStoreProvider
{
    /// <summary>Opens the store; nothing is connected until its first use.</summary>
    /// <param name="store">The <c>--store</c> text.</param>
    /// <param name="timeProvider">The clock the store stamps its records with.</param>
    /// <returns>The store; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">The text cannot be read; the message never repeats a password.</exception>
    SqlSweepStore Open(string store, TimeProvider timeProvider);

    /// <summary>
    /// Opens the store for a process that needs at most <paramref name="maxConnections"/> connections at once (an agent):
    /// a store with a connection pool caps it there unless the <c>--store</c> text sets its own size; a store without
    /// one (a SQLite file) opens as <see cref="Open(string, TimeProvider)"/> does.
    /// </summary>
    /// <param name="store">The <c>--store</c> text.</param>
    /// <param name="timeProvider">The clock the store stamps its records with.</param>
    /// <param name="maxConnections">The most connections the process needs at once.</param>
    /// <returns>The store; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">The text cannot be read; the message never repeats a password.</exception>
    SqlSweepStore Open(string store, TimeProvider timeProvider, int maxConnections) => Open(store, timeProvider);
}
