using Tune.Pipeline.Stores;
using Tune.Pipeline.Stores.Sqlite;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// Opens a sweep store from the text of a <c>--store</c> option, by its scheme: a SQLite file path (or
/// <c>sqlite:PATH</c>), the embedded default; <c>postgresql://</c> through the Tune.Pipeline.PostgreSql package, which an
/// experiment references only when it needs agents on several machines.
/// </summary>
public static class SweepStores
{
    // The stores that live in packages of their own, by the scheme that names them: the assembly is loaded only when a
    // --store asks for it, so an experiment executable carries only the stores it references.
    private static readonly (string Scheme, string Assembly)[] Optional =
    [
        ("postgresql", "Tune.Pipeline.PostgreSql"),
        ("postgres", "Tune.Pipeline.PostgreSql"),
    ];

    /// <summary>Opens the store a <c>--store</c> option names; nothing is connected until the store's first use.</summary>
    /// <param name="store">A SQLite file path, <c>sqlite:PATH</c>, or a <c>postgresql://user@host:port/database</c> URL.</param>
    /// <param name="timeProvider">The clock the store stamps its records with; the system clock when <see langword="null"/>.</param>
    /// <returns>The store; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">
    /// The text is empty, names a scheme no store has, names a store whose package the executable does not reference, or
    /// is a URL that cannot be read; the message says how to fix it and never repeats a password.
    /// </exception>
    public static SqlSweepStore Open(string store, TimeProvider? timeProvider = null) => Open(store, timeProvider, null);

    /// <summary>Opens the store a <c>--store</c> option names for a process that needs at most <paramref name="maxConnections"/> connections at once.</summary>
    /// <param name="store">A SQLite file path, <c>sqlite:PATH</c>, or a <c>postgresql://user@host:port/database</c> URL.</param>
    /// <param name="timeProvider">The clock the store stamps its records with; the system clock when <see langword="null"/>.</param>
    /// <param name="maxConnections">The size of a pooled store's connection pool unless the text sets one; no cap when <see langword="null"/>.</param>
    /// <returns>The store; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">As <see cref="Open(string, TimeProvider?)"/>.</exception>
    public static SqlSweepStore Open(string store, TimeProvider? timeProvider, int? maxConnections)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (string.IsNullOrWhiteSpace(store))
        {
            throw new ArgumentException("--store is empty; pass a SQLite file path (or sqlite:PATH) or a postgresql://user@host:port/database URL, or leave it out for the default store.");
        }

        var time = timeProvider ?? TimeProvider.System;
        var scheme = SchemeOf(store);
        if (scheme is null or "sqlite")
        {
            return new SqliteSweepStore(SqlitePath(store), time);
        }

        var assemblyName = Optional.FirstOrDefault(o => string.Equals(o.Scheme, scheme, StringComparison.OrdinalIgnoreCase)).Assembly
            ?? throw new ArgumentException(
                $"--store names the scheme '{scheme}', which no sweep store has. Use a SQLite file path (or sqlite:PATH) or postgresql://user@host:port/database.");
        var provider = OptionalPackages.Load<SweepStoreProviderAttribute, ISweepStoreProvider>(assemblyName, a => a.ProviderType)
            ?? throw new ArgumentException($"--store names a {scheme} store, which needs the {assemblyName} package: {OptionalPackages.HowToAdd(assemblyName)}.");
        return maxConnections is { } cap ? provider.Open(store, time, cap) : provider.Open(store, time);
    }

    /// <summary>Gets the file a SQLite <c>--store</c> names: the text itself, or what follows <c>sqlite:</c>.</summary>
    /// <param name="store">The <c>--store</c> text.</param>
    /// <returns>The path, or <see langword="null"/> when the text names another kind of store.</returns>
    public static string? SqliteFile(string store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return SchemeOf(store) is null or "sqlite" ? SqlitePath(store) : null;
    }

    private static string SqlitePath(string store) =>
        store.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) ? store["sqlite:".Length..] : store;

    // "scheme://..." or "sqlite:..."; a Windows drive ("C:\...") is a path. A key=value connection string with Host=
    // is PostgreSQL's own form.
    private static string? SchemeOf(string store)
    {
        if (store.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            return "sqlite";
        }

        var separator = store.IndexOf("://", StringComparison.Ordinal);
        if (separator > 0 && store[..separator].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
        {
            return store[..separator].ToLowerInvariant();
        }

        return store.Contains("Host=", StringComparison.OrdinalIgnoreCase) && store.Contains(';', StringComparison.Ordinal) ? "postgresql" : null;
    }
}
