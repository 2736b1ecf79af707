using System.Diagnostics;
using System.Globalization;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// Represents this process's claim to run a sweep's controller, renewed in the background until disposed: of two
/// <c>sweep</c> commands on one sweep (two resumes, or a resume beside a running sweep), only one runs it.
/// </summary>
/// <remarks>
/// A controller that dies stops renewing its claim, which another takes over after <see cref="StaleAfter"/>; one that
/// died on this machine is taken over at once, since its process is known to be gone.
/// </remarks>
internal sealed class ControllerClaim : IAsyncDisposable
{
    /// <summary>How long a claim lasts without renewal.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(5);

    private readonly SqlSweepStore _store;
    private readonly string _sweepName;
    private readonly string _owner;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;

    private ControllerClaim(SqlSweepStore store, string sweepName, string owner, TimeProvider time)
    {
        _store = store;
        _sweepName = sweepName;
        _owner = owner;
        _renewing = RenewAsync(time);
    }

    /// <summary>Claims the sweep's controller for this process.</summary>
    /// <param name="store">A store of its own, which the claim owns and disposes: it outlives the sweep's.</param>
    /// <param name="sweepName">The sweep whose controller this process becomes.</param>
    /// <param name="time">The clock the claim is renewed by.</param>
    /// <param name="cancellationToken">Stops the attempt.</param>
    /// <returns>The claim, renewed in the background until it is disposed.</returns>
    /// <exception cref="UsageException">Another live controller runs the sweep; the message names it and what to do.</exception>
    public static async Task<ControllerClaim> AcquireAsync(SqlSweepStore store, string sweepName, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            return await ClaimAsync(store, sweepName, time, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<ControllerClaim> ClaimAsync(SqlSweepStore store, string sweepName, TimeProvider time, CancellationToken cancellationToken)
    {
        var owner = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}");
        var (holder, heartbeat) = await store.ClaimControllerAsync(sweepName, owner, StaleAfter, cancellationToken).ConfigureAwait(false);
        if (holder != owner && IsDeadHere(holder))
        {
            await store.ReleaseControllerAsync(sweepName, holder, cancellationToken).ConfigureAwait(false);
            (holder, heartbeat) = await store.ClaimControllerAsync(sweepName, owner, StaleAfter, cancellationToken).ConfigureAwait(false);
        }

        if (holder != owner)
        {
            var silent = Math.Max(0, (time.GetUtcNow() - heartbeat).TotalSeconds);
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"Sweep '{sweepName}' already exists in {store.DisplayName} and another controller runs it ({holder}, heard from {silent:0} s ago). Wait for it to end, or stop it; a controller that died is taken over once it has been silent for {StaleAfter.TotalSeconds:0} s."));
        }

        return new ControllerClaim(store, sweepName, owner, time);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false);
        try
        {
            await _store.ReleaseControllerAsync(_sweepName, _owner, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StoreUnavailableException)
        {
            // The store went away: the claim goes stale by itself.
        }

        _stop.Dispose();
        await _store.DisposeAsync().ConfigureAwait(false);
    }

    // machine/pid/random: a holder on this machine whose process is gone will never renew its claim.
    private static bool IsDeadHere(string holder)
    {
        var parts = holder.Split('/');
        if (parts.Length != 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private async Task RenewAsync(TimeProvider time)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RenewEvery, time, _stop.Token).ConfigureAwait(false);
                await _store.ClaimControllerAsync(_sweepName, _owner, StaleAfter, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (StoreUnavailableException)
            {
                // The sweep itself meets the same outage and reports it; the claim is renewed when the store is back.
            }
        }
    }
}
