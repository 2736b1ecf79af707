using Tune.Pipeline.Stores;

namespace Tune.Pipeline.Hosting.Tests;

/// <summary>Reads a store's rows as they are, queue columns included, for assertions about processes.</summary>
public static class StoreProbe
{
    public sealed record Row(int Number, string State, int Attempts, double? Value, int Queue, string? Owner);

    public static async Task<List<Row>> TrialsAsync(SqlSweepStore store, string sweep, CancellationToken cancellationToken) =>
        await store.RunAsync(async (c, t, ct) =>
        {
            var rows = new List<Row>();
            await using var command = SqlSweepStore.Command(c, t, "SELECT number, state, attempts, value, queue, lease_owner FROM trials WHERE sweep = @s ORDER BY number", ("@s", sweep));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new Row(
                    (int)SqlSweepStore.Int64(reader.GetValue(0)), reader.GetString(1), (int)SqlSweepStore.Int64(reader.GetValue(2)),
                    reader.IsDBNull(3) ? null : reader.GetDouble(3), (int)SqlSweepStore.Int64(reader.GetValue(4)), reader.IsDBNull(5) ? null : reader.GetString(5)));
            }

            return rows;
        }, transaction: false, cancellationToken);

    /// <summary>Counts the outbox's "trial completed" events per trial number: each completed trial must have exactly one.</summary>
    public static async Task<Dictionary<int, int>> CompletedEventsAsync(SqlSweepStore store, string sweep, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<int, int>();
        foreach (var message in await store.ReadOutboxAsync(1_000_000, cancellationToken))
        {
            if (message.SweepName == sweep && message.Kind == "trial" && message.Payload.Contains("\"state\":\"Completed\"", StringComparison.Ordinal))
            {
                counts[message.TrialNumber!.Value] = counts.GetValueOrDefault(message.TrialNumber!.Value) + 1;
            }
        }

        return counts;
    }

    public static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"The store did not reach the expected state within {timeout}.");
            }

            await Task.Delay(20, cancellationToken);
        }
    }
}
