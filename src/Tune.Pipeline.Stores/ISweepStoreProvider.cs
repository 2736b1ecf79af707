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
}
