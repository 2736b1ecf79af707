using System.Collections.Immutable;
using System.Data.Common;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Stores;

/// <content>Read-only queries for tools that have no compiled search space: listing sweeps and reading trials as stored.</content>
public abstract partial class SqlSweepStore
{
    /// <summary>Lists every sweep in the store with its trial counts and best value, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The sweeps; empty for a new store.</returns>
    public async ValueTask<IReadOnlyList<StoredSweep>> ListSweepsAsync(CancellationToken cancellationToken = default) =>
        await RunAsync((c, t, ct) => ReadSweepsAsync(c, t, null, ct), transaction: true, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads one sweep as <see cref="ListSweepsAsync"/> lists it.</summary>
    /// <param name="sweepName">The sweep's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The sweep, or <see langword="null"/> when the store has no such sweep.</returns>
    public async ValueTask<StoredSweep?> GetStoredSweepAsync(string sweepName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepName);
        var sweeps = await RunAsync((c, t, ct) => ReadSweepsAsync(c, t, sweepName, ct), transaction: true, cancellationToken).ConfigureAwait(false);
        return sweeps.Count == 0 ? null : sweeps[0];
    }

    /// <summary>Reads a sweep's trials as stored, parameters as their JSON object, ordered by number.</summary>
    /// <param name="sweepName">The sweep's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The trials; empty when the sweep is unknown or has none.</returns>
    /// <remarks>
    /// Unlike <see cref="GetTrialsAsync"/> this needs no search space, so a tool can read any sweep; the parameters stay
    /// as written (name to value, choices as their values).
    /// </remarks>
    public async ValueTask<IReadOnlyList<StoredTrial>> GetStoredTrialsAsync(string sweepName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepName);
        return await RunAsync(async (c, t, ct) =>
        {
            var trials = new List<StoredTrial>();
            await using var read = Command(c, t,
                "SELECT number, state, value, parameters, seed, attempts, started_at, ended_at, error FROM trials WHERE sweep = @s ORDER BY number", ("@s", sweepName));
            await using var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                trials.Add(new StoredTrial(
                    (int)Int64(reader.GetValue(0)),
                    Enum.Parse<TrialState>(reader.GetString(1)),
                    reader.IsDBNull(2) ? null : reader.GetDouble(2),
                    reader.GetString(3),
                    Int64(reader.GetValue(4)),
                    (int)Int64(reader.GetValue(5)),
                    Time(reader, 6),
                    Time(reader, 7),
                    reader.IsDBNull(8) ? null : reader.GetString(8)));
            }

            return (IReadOnlyList<StoredTrial>)trials;
        }, transaction: true, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<StoredSweep>> ReadSweepsAsync(DbConnection c, DbTransaction? t, string? only, CancellationToken ct)
    {
        // One query per table, not per sweep: a store may hold hundreds of sweeps.
        // The name is a parameter only where the SQL names it: a provider may reject a parameter the text lacks.
        (string, object?)[] parameters = only is null ? [] : [("@s", only)];
        var filter = only is null ? string.Empty : " WHERE sweep = @s";
        var counts = new Dictionary<string, ImmutableDictionary<TrialState, int>.Builder>(StringComparer.Ordinal);
        await using (var read = Command(c, t, $"SELECT sweep, state, COUNT(*) FROM trials{filter} GROUP BY sweep, state", parameters))
        await using (var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var name = reader.GetString(0);
                if (!counts.TryGetValue(name, out var builder))
                {
                    counts[name] = builder = ImmutableDictionary.CreateBuilder<TrialState, int>();
                }

                builder[Enum.Parse<TrialState>(reader.GetString(1))] = (int)Int64(reader.GetValue(2));
            }
        }

        var extremes = new Dictionary<string, (double Min, double Max)>(StringComparer.Ordinal);
        var completed = only is null ? " WHERE state = 'Completed'" : " WHERE sweep = @s AND state = 'Completed'";
        await using (var read = Command(c, t, $"SELECT sweep, MIN(value), MAX(value) FROM trials{completed} GROUP BY sweep", parameters))
        await using (var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                extremes[reader.GetString(0)] = (reader.GetDouble(1), reader.GetDouble(2));
            }
        }

        var sweeps = new List<StoredSweep>();
        var where = only is null ? string.Empty : " WHERE name = @s";
        await using (var read = Command(c, t,
            $"SELECT name, fingerprint, goal, seed, state, stop_reason, created_at, updated_at, definition FROM sweeps{where} ORDER BY created_at, name", parameters))
        await using (var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var name = reader.GetString(0);
                var goal = Enum.Parse<Goal>(reader.GetString(2));
                double? best = extremes.TryGetValue(name, out var range) ? (goal == Goal.Maximize ? range.Max : range.Min) : null;
                sweeps.Add(new StoredSweep(
                    name,
                    reader.GetString(1),
                    goal,
                    Int64(reader.GetValue(3)),
                    string.Equals(reader.GetString(4), "closed", StringComparison.Ordinal),
                    reader.IsDBNull(5) ? null : Enum.Parse<SweepStopReason>(reader.GetString(5)),
                    DateTimeOffset.FromUnixTimeMilliseconds(Int64(reader.GetValue(6))),
                    DateTimeOffset.FromUnixTimeMilliseconds(Int64(reader.GetValue(7))),
                    reader.GetString(8))
                {
                    TrialCounts = counts.TryGetValue(name, out var builder) ? builder.ToImmutable() : ImmutableDictionary<TrialState, int>.Empty,
                    BestValue = best,
                });
            }
        }

        return sweeps;
    }

    private static DateTimeOffset? Time(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Int64(reader.GetValue(ordinal)));
}
