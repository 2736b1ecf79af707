namespace Tune.Pipeline.Stores;

/// <content>The claim a sweep's one controller holds while it runs the sweep.</content>
public abstract partial class SqlSweepStore
{
    /// <summary>
    /// Claims, or renews, the right to run a sweep's controller: a claim nobody renewed for <paramref name="staleAfter"/>
    /// is dropped first, then the slot is taken if free or already <paramref name="owner"/>'s, in one transaction.
    /// </summary>
    /// <param name="sweepName">The sweep, which need not exist yet (a controller claims it before it creates it).</param>
    /// <param name="owner">Who claims it: <c>machine/pid/random</c>.</param>
    /// <param name="staleAfter">How long a claim lasts without renewal.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The holder after the claim and when it last renewed: <paramref name="owner"/> when the claim succeeded.</returns>
    public async ValueTask<(string Owner, DateTimeOffset HeartbeatAt)> ClaimControllerAsync(string sweepName, string owner, TimeSpan staleAfter, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sweepName);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        var now = Now();
        return await RunAsync(async (c, t, ct) =>
        {
            await ExecuteAsync(c, t, ct, "DELETE FROM sweep_controllers WHERE sweep = @s AND heartbeat_at < @stale",
                ("@s", sweepName), ("@stale", now - (long)staleAfter.TotalMilliseconds)).ConfigureAwait(false);
            await ExecuteAsync(c, t, ct,
                "INSERT INTO sweep_controllers (sweep, owner, heartbeat_at) VALUES (@s, @o, @now) " +
                "ON CONFLICT (sweep) DO UPDATE SET heartbeat_at = excluded.heartbeat_at WHERE sweep_controllers.owner = excluded.owner",
                ("@s", sweepName), ("@o", owner), ("@now", now)).ConfigureAwait(false);
            await using var read = Command(c, t, "SELECT owner, heartbeat_at FROM sweep_controllers WHERE sweep = @s", ("@s", sweepName));
            await using var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            return (reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(Int64(reader.GetValue(1))));
        }, transaction: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives up a sweep's controller claim, if <paramref name="owner"/> holds it.</summary>
    /// <param name="sweepName">The sweep.</param>
    /// <param name="owner">Who claimed it; a claim of a controller known to be dead may be released by another.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is durable.</returns>
    public async ValueTask ReleaseControllerAsync(string sweepName, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sweepName);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        await RunAsync(
            (c, t, ct) => ExecuteAsync(c, t, ct, "DELETE FROM sweep_controllers WHERE sweep = @s AND owner = @o", ("@s", sweepName), ("@o", owner)),
            transaction: true,
            cancellationToken).ConfigureAwait(false);
    }
}
