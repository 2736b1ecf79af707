using System.Collections.Immutable;
using System.Data.Common;
using System.Text.Json;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Stores;

/// <content>Read-only queries for tools that have no compiled search space: listing sweeps and reading trials as stored.</content>
public abstract partial class SqlSweepStore
{
    /// <summary>Lists every sweep in the store with its trial counts and best trial, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The sweeps; empty for a new store.</returns>
    public async ValueTask<IReadOnlyList<SweepStatus>> ListSweepsAsync(CancellationToken cancellationToken = default) =>
        await RunAsync((c, t, ct) => ReadStatusesAsync(c, t, null, ct), transaction: true, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads a sweep's state, recorded definition, trial counts by state and best trial, without its search space.</summary>
    /// <param name="sweepName">The sweep's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The status, or <see langword="null"/> when the store has no such sweep.</returns>
    public async ValueTask<SweepStatus?> GetSweepStatusAsync(string sweepName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepName);
        var sweeps = await RunAsync((c, t, ct) => ReadStatusesAsync(c, t, sweepName, ct), transaction: true, cancellationToken).ConfigureAwait(false);
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
            // The last step joins in with the row: a pruned trial's place in the order, and where it stopped.
            await using var read = Command(c, t,
                "SELECT t.number, t.state, t.value, t.parameters, t.seed, t.attempts, t.started_at, t.ended_at, t.error, t.interrupted, l.step, l.value, t.agent FROM trials t " +
                "LEFT JOIN steps l ON l.sweep = t.sweep AND l.number = t.number AND l.step = (SELECT MAX(m.step) FROM steps m WHERE m.sweep = t.sweep AND m.number = t.number) " +
                "WHERE t.sweep = @s ORDER BY t.number", ("@s", sweepName));
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
                    reader.IsDBNull(8) ? null : reader.GetString(8))
                {
                    IsInterrupted = Int64(reader.GetValue(9)) != 0,
                    LastStep = reader.IsDBNull(10) ? null : new StepValue(Int64(reader.GetValue(10)), reader.GetDouble(11)),
                    Agent = reader.IsDBNull(12) ? null : reader.GetString(12),
                });
            }

            return (IReadOnlyList<StoredTrial>)trials;
        }, transaction: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads every step a sweep's trials reported, without a search space: trial number to its steps, each in step order.</summary>
    /// <param name="sweepName">The sweep's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The steps of each trial that reported any; empty when the sweep is unknown or none did.</returns>
    /// <remarks>
    /// A retried trial's steps are those of its current attempt: starting an attempt deletes the steps of the one before,
    /// so a curve never mixes two attempts.
    /// </remarks>
    public async ValueTask<IReadOnlyDictionary<int, ImmutableArray<StepValue>>> GetStoredStepsAsync(string sweepName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepName);
        return await RunAsync(async (c, t, ct) => (IReadOnlyDictionary<int, ImmutableArray<StepValue>>)await ReadStepsAsync(c, t, sweepName, ct).ConfigureAwait(false), transaction: true, cancellationToken).ConfigureAwait(false);
    }

    // Shared by the typed read (ReadTrialsAsync) and the stored one, so that both see the same steps in the same order.
    private static async Task<Dictionary<int, ImmutableArray<StepValue>>> ReadStepsAsync(DbConnection c, DbTransaction? t, string sweepName, CancellationToken ct)
    {
        var steps = new Dictionary<int, ImmutableArray<StepValue>.Builder>();
        await using var read = Command(c, t, "SELECT number, step, value FROM steps WHERE sweep = @s ORDER BY number, step", ("@s", sweepName));
        await using var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var number = (int)Int64(reader.GetValue(0));
            if (!steps.TryGetValue(number, out var list))
            {
                steps[number] = list = ImmutableArray.CreateBuilder<StepValue>();
            }

            list.Add(new StepValue(Int64(reader.GetValue(1)), reader.GetDouble(2)));
        }

        return steps.ToDictionary(p => p.Key, p => p.Value.ToImmutable());
    }

    private static async Task<IReadOnlyList<SweepStatus>> ReadStatusesAsync(DbConnection c, DbTransaction? t, string? only, CancellationToken ct)
    {
        // One query per table, not per sweep: a store may hold hundreds of sweeps.
        // The name is a parameter only where the SQL names it: a provider may reject a parameter the text lacks.
        (string, object?)[] parameters = only is null ? [] : [("@s", only)];
        var counts = new Dictionary<string, ImmutableDictionary<TrialState, int>.Builder>(StringComparer.Ordinal);
        await using (var read = Command(c, t, $"SELECT sweep, state, COUNT(*) FROM trials{(only is null ? string.Empty : " WHERE sweep = @s")} GROUP BY sweep, state", parameters))
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

        // Each sweep's best completed trial in its own goal's direction, ties to the lowest number: TrialOrder.Best's rule,
        // pushed into SQL so that a listing does not read every trial's parameters (a contract test holds the two together).
        var best = new Dictionary<string, (int Number, double Value, string Parameters)>(StringComparer.Ordinal);
        await using (var read = Command(c, t,
            "SELECT sweep, number, value, parameters FROM (SELECT t.sweep, t.number, t.value, t.parameters, " +
            "ROW_NUMBER() OVER (PARTITION BY t.sweep ORDER BY CASE WHEN s.goal = 'Maximize' THEN -t.value ELSE t.value END, t.number) AS place " +
            $"FROM trials t JOIN sweeps s ON s.name = t.sweep WHERE t.state = 'Completed'{(only is null ? string.Empty : " AND t.sweep = @s")}) ranked WHERE place = 1",
            parameters))
        await using (var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                best[reader.GetString(0)] = ((int)Int64(reader.GetValue(1)), reader.GetDouble(2), reader.GetString(3));
            }
        }

        var sweeps = new List<SweepStatus>();
        await using (var read = Command(c, t,
            $"SELECT name, fingerprint, goal, seed, state, stop_reason, created_at, updated_at, definition FROM sweeps{(only is null ? string.Empty : " WHERE name = @s")} ORDER BY created_at, name",
            parameters))
        await using (var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var name = reader.GetString(0);
                var definition = JsonSerializer.Deserialize(reader.GetString(8), StoreJsonContext.Default.SweepDefinition);
                var status = new SweepStatus(
                    name,
                    reader.GetString(1),
                    Enum.Parse<Goal>(reader.GetString(2)),
                    Int64(reader.GetValue(3)),
                    string.Equals(reader.GetString(4), "closed", StringComparison.Ordinal),
                    reader.IsDBNull(5) ? null : Enum.Parse<SweepStopReason>(reader.GetString(5)))
                {
                    CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(Int64(reader.GetValue(6))),
                    UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(Int64(reader.GetValue(7))),
                    Sampler = definition?.Sampler,
                    EarlyStoppingPolicy = definition?.EarlyStoppingPolicy,
                    EarlyStoppingSettings = definition?.EarlyStoppingSettings,
                    MaxTrials = definition?.MaxTrials,
                    MaxConcurrentTrials = definition?.MaxConcurrentTrials,
                    MaxRetries = definition?.MaxRetries,
                    Settings = definition?.Settings,
                    Parameters = definition is null ? [] : [.. definition.Parameters],
                    TrialCounts = counts.TryGetValue(name, out var builder) ? builder.ToImmutable() : ImmutableDictionary<TrialState, int>.Empty,
                };
                if (best.TryGetValue(name, out var top))
                {
                    status = status with { BestTrialNumber = top.Number, BestValue = top.Value, BestParameters = top.Parameters };
                }

                sweeps.Add(status);
            }
        }

        return sweeps;
    }

    private static DateTimeOffset? Time(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Int64(reader.GetValue(ordinal)));
}
