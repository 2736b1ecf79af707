using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Stores;

/// <content>
/// The trial queue between the controller and agent processes. With <see cref="QueueNewAttempts"/>, the save that
/// starts an attempt queues it, pending; an agent leases it (owner and heartbeat), streams steps, sees stop requests, and records a result; the
/// controller polls the queue for steps and results and reclaims a lease whose heartbeat stopped. Every agent write
/// names the owner and attempt it holds, so a reclaimed or finished trial ignores a late agent.
/// </content>
public abstract partial class SqlSweepStore
{
    internal async ValueTask<int?> GetQueuedAttemptAsync(string sweepName, int trialNumber, CancellationToken cancellationToken) =>
        await RunAsync(async (c, t, ct) =>
        {
            await using var command = Command(c, t, $"SELECT attempts FROM trials WHERE sweep = @s AND number = @n AND queue <> {Q(QueueState.None)}", ("@s", sweepName), ("@n", trialNumber));
            var value = await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
            return value is null or DBNull ? (int?)null : (int)Int64(value);
        }, transaction: false, cancellationToken).ConfigureAwait(false);

    internal async ValueTask<LeasedTrial?> LeaseAsync(string sweepName, string owner, CancellationToken cancellationToken)
    {
        var now = Now();
        return await RunAsync((c, t, ct) => LeaseNextAsync(c, t, sweepName, owner, now, ct), transaction: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records a leased trial's result and leases the next pending trial, in one transaction: one lock, not two.</summary>
    internal async ValueTask<LeasedTrial?> CompleteAndLeaseAsync(
        string sweepName, int trialNumber, int attempt, string owner, double? value, string? metrics, string? error, CancellationToken cancellationToken)
    {
        var now = Now();
        return await RunAsync(async (c, t, ct) =>
        {
            await CompleteAsync(c, t, sweepName, trialNumber, attempt, owner, value, metrics, error, now, ct).ConfigureAwait(false);
            return await LeaseNextAsync(c, t, sweepName, owner, now, ct).ConfigureAwait(false);
        }, transaction: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task<LeasedTrial?> LeaseNextAsync(DbConnection c, DbTransaction? t, string sweepName, string owner, long now, CancellationToken ct)
    {
        // One statement: the pick and the lease cannot be split by another agent. PostgreSQL skips rows other agents are
        // leasing instead of waiting on them; SQLite has one writer at a time anyway.
        await using var command = Command(c, t,
            $"UPDATE trials SET queue = {Q(QueueState.Leased)}, state = '{nameof(TrialState.Running)}', lease_owner = @o, agent = @o, heartbeat_at = @now, leased_at = @now, started_at = @now " +
            $"WHERE sweep = @s AND queue = {Q(QueueState.Waiting)} AND number = (SELECT number FROM trials WHERE sweep = @s AND queue = {Q(QueueState.Waiting)} ORDER BY number LIMIT 1{SkipLocked}) " +
            "RETURNING number, attempts, parameters, seed",
            ("@s", sweepName), ("@o", owner), ("@now", now));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        return new LeasedTrial((int)Int64(reader.GetValue(0)), (int)Int64(reader.GetValue(1)), reader.GetString(2), Int64(reader.GetValue(3)));
    }

    private static async Task<bool> CompleteAsync(
        DbConnection c, DbTransaction? t, string sweepName, int trialNumber, int attempt, string owner, double? value, string? metrics, string? error, long now, CancellationToken ct) =>
        await ExecuteAsync(c, t, ct,
            $"UPDATE trials SET queue = {Q(QueueState.Done)}, heartbeat_at = @now, result_value = @v, result_metrics = @m, result_error = @e " +
            $"WHERE sweep = @s AND number = @n AND attempts = @a AND lease_owner = @o AND queue = {Q(QueueState.Leased)}",
            ("@s", sweepName), ("@n", trialNumber), ("@a", attempt), ("@o", owner), ("@now", now), ("@v", value), ("@m", metrics), ("@e", error)).ConfigureAwait(false) > 0;

    internal async ValueTask<(bool Held, bool StopRequested)> HeartbeatAsync(string sweepName, int trialNumber, int attempt, string owner, CancellationToken cancellationToken)
    {
        var now = Now();
        return await RunAsync(async (c, t, ct) =>
        {
            await using var command = Command(c, t,
                $"UPDATE trials SET heartbeat_at = @now WHERE sweep = @s AND number = @n AND attempts = @a AND lease_owner = @o AND queue = {Q(QueueState.Leased)} RETURNING stop_requested",
                ("@s", sweepName), ("@n", trialNumber), ("@a", attempt), ("@o", owner), ("@now", now));
            var value = await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
            return value is null or DBNull ? (false, false) : (true, Int64(value) != 0);
        }, transaction: false, cancellationToken).ConfigureAwait(false);
    }

    internal async ValueTask<(bool Held, bool StopRequested)> AppendLeasedStepAsync(
        string sweepName, int trialNumber, int attempt, string owner, StepValue stepValue, CancellationToken cancellationToken)
    {
        var now = Now();
        return await RunAsync(async (c, t, ct) =>
        {
            bool stop;
            await using (var command = Command(c, t,
                $"UPDATE trials SET heartbeat_at = @now, last_step = @step WHERE sweep = @s AND number = @n AND attempts = @a AND lease_owner = @o AND queue = {Q(QueueState.Leased)} RETURNING stop_requested",
                ("@s", sweepName), ("@n", trialNumber), ("@a", attempt), ("@o", owner), ("@now", now), ("@step", stepValue.Step)))
            {
                var value = await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
                if (value is null or DBNull)
                {
                    return (false, false);
                }

                stop = Int64(value) != 0;
            }

            await InsertStepAsync(c, t, sweepName, trialNumber, stepValue, now, ct).ConfigureAwait(false);
            return (true, stop);
        }, transaction: true, cancellationToken).ConfigureAwait(false);
    }

    internal async ValueTask<bool> CompleteLeaseAsync(
        string sweepName, int trialNumber, int attempt, string owner, double? value, string? metrics, string? error, CancellationToken cancellationToken)
    {
        var now = Now();
        return await RunAsync((c, t, ct) => CompleteAsync(c, t, sweepName, trialNumber, attempt, owner, value, metrics, error, now, ct), transaction: false, cancellationToken)
            .ConfigureAwait(false);
    }

    internal async ValueTask<IReadOnlyList<QueuedTrial>> PollQueueAsync(string sweepName, CancellationToken cancellationToken) =>
        await RunAsync(async (c, t, ct) =>
        {
            var rows = new List<QueuedTrial>();
            await using var command = Command(c, t,
                $"SELECT number, attempts, queue, lease_owner, heartbeat_at, last_step, stop_requested, result_value, result_metrics, result_error FROM trials WHERE sweep = @s AND queue <> {Q(QueueState.None)}",
                ("@s", sweepName));
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                rows.Add(new QueuedTrial(
                    (int)Int64(reader.GetValue(0)),
                    (int)Int64(reader.GetValue(1)),
                    (QueueState)Int64(reader.GetValue(2)),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : Int64(reader.GetValue(4)),
                    reader.IsDBNull(5) ? null : Int64(reader.GetValue(5)),
                    Int64(reader.GetValue(6)) != 0,
                    reader.IsDBNull(7) ? null : reader.GetDouble(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9)));
            }

            return (IReadOnlyList<QueuedTrial>)rows;
        }, transaction: false, cancellationToken).ConfigureAwait(false);

    internal async ValueTask<IReadOnlyList<StepValue>> ReadStepsAsync(string sweepName, int trialNumber, long afterStep, CancellationToken cancellationToken) =>
        await RunAsync(async (c, t, ct) =>
        {
            var steps = new List<StepValue>();
            await using var command = Command(c, t, "SELECT step, value FROM steps WHERE sweep = @s AND number = @n AND step > @after ORDER BY step",
                ("@s", sweepName), ("@n", trialNumber), ("@after", afterStep));
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                steps.Add(new StepValue(Int64(reader.GetValue(0)), reader.GetDouble(1)));
            }

            return (IReadOnlyList<StepValue>)steps;
        }, transaction: false, cancellationToken).ConfigureAwait(false);

    internal async ValueTask RequestStopAsync(string sweepName, int trialNumber, int attempt, CancellationToken cancellationToken) =>
        await RunAsync((c, t, ct) =>
            ExecuteAsync(c, t, ct, $"UPDATE trials SET stop_requested = 1 WHERE sweep = @s AND number = @n AND attempts = @a AND queue IN ({Q(QueueState.Waiting)}, {Q(QueueState.Leased)})",
                ("@s", sweepName), ("@n", trialNumber), ("@a", attempt)), transaction: false, cancellationToken).ConfigureAwait(false);

    internal async ValueTask<bool> ReclaimLeaseAsync(string sweepName, int trialNumber, int attempt, long heartbeatBefore, CancellationToken cancellationToken) =>
        await RunAsync(async (c, t, ct) =>
            await ExecuteAsync(c, t, ct,
                $"UPDATE trials SET queue = {Q(QueueState.None)}, lease_owner = NULL WHERE sweep = @s AND number = @n AND attempts = @a AND queue = {Q(QueueState.Leased)} AND heartbeat_at < @before",
                ("@s", sweepName), ("@n", trialNumber), ("@a", attempt), ("@before", heartbeatBefore)).ConfigureAwait(false) > 0,
            transaction: false, cancellationToken).ConfigureAwait(false);

    internal async ValueTask<bool> CancelQueuedAsync(string sweepName, int trialNumber, int attempt, CancellationToken cancellationToken) =>
        await RunAsync(async (c, t, ct) =>
            await ExecuteAsync(c, t, ct, $"UPDATE trials SET queue = {Q(QueueState.None)} WHERE sweep = @s AND number = @n AND attempts = @a AND queue = {Q(QueueState.Waiting)}",
                ("@s", sweepName), ("@n", trialNumber), ("@a", attempt)).ConfigureAwait(false) > 0,
            transaction: false, cancellationToken).ConfigureAwait(false);

    /// <summary>Writes a queue state into SQL text: its stored number, from the enum, never a literal.</summary>
    internal static string Q(QueueState state) => ((int)state).ToString(CultureInfo.InvariantCulture);

    internal async ValueTask<bool?> IsSweepClosedAsync(string sweepName, CancellationToken cancellationToken) =>
        await RunAsync(async (c, t, ct) =>
        {
            await using var command = Command(c, t, "SELECT state FROM sweeps WHERE name = @s", ("@s", sweepName));
            return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string state ? string.Equals(state, "closed", StringComparison.Ordinal) : (bool?)null;
        }, transaction: false, cancellationToken).ConfigureAwait(false);

    internal async ValueTask<long?> GetSweepSeedAsync(string sweepName, CancellationToken cancellationToken) =>
        await RunAsync(async (c, t, ct) =>
        {
            await using var command = Command(c, t, "SELECT seed FROM sweeps WHERE name = @s", ("@s", sweepName));
            return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is { } seed and not DBNull ? Int64(seed) : (long?)null;
        }, transaction: false, cancellationToken).ConfigureAwait(false);
}

/// <summary>Where a trial is in the queue; stored as its number in <c>trials.queue</c>, and only ever written through this enum.</summary>
internal enum QueueState
{
    /// <summary>Not queued: run in the controller's process, finished, or taken off the queue.</summary>
    None = 0,

    /// <summary>Queued, waiting for an agent to lease it.</summary>
    Waiting = 1,

    /// <summary>Leased by an agent, which heartbeats while it runs.</summary>
    Leased = 2,

    /// <summary>The agent recorded a result, which the controller has not read yet.</summary>
    Done = 3,
}

/// <summary>A trial an agent has leased: the attempt it holds and what it needs to run it.</summary>
internal sealed record LeasedTrial(int Number, int Attempt, string Parameters, long Seed);

/// <summary>A queued trial as the controller polls it.</summary>
internal sealed record QueuedTrial(
    int Number, int Attempt, QueueState Queue, string? Owner, long? HeartbeatAt, long? LastStep, bool StopRequested, double? ResultValue, string? ResultMetrics, string? ResultError)
{
    /// <summary>
    /// Reads an agent's recorded result back in the agent protocol (what the trial returned, or what it threw), for the
    /// controller or a store to classify with <see cref="TrialOutcome.Classify"/>: a recorded error keeps its text, a
    /// result without value or error is a trial that stopped on request.
    /// </summary>
    public static (TrialResult Result, Exception? Exception) ReadResult(int number, double? value, string? metrics, string? error)
    {
        if (error is not null)
        {
            return (default, new TrialFailedException(error));
        }

        if (value is not { } objective)
        {
            return (default, new OperationCanceledException($"Trial {number} stopped on request."));
        }

        var extra = metrics is null
            ? null
            : JsonSerializer.Deserialize(metrics, StoreJsonContext.Default.DictionaryStringDouble)!.ToImmutableDictionary(StringComparer.Ordinal);
        return (new TrialResult(objective) { Metrics = extra }, null);
    }
}
