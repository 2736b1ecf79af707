namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// Exponential backoff without jitter: <c>delay(n) = min(max, initial * 2^n)</c> for the n-th retry (from 0), or the
/// server's <c>Retry-After</c> when it sent one, capped the same way.
/// </summary>
/// <remarks>No jitter, since randomness comes from the caller in Tune.Pipeline and one sweep talks to one server.</remarks>
internal static class RetryBackoff
{
    public static TimeSpan GetDelay(int attempt, TimeSpan initial, TimeSpan max, TimeSpan? retryAfter)
    {
        if (retryAfter is { } fromServer)
        {
            return fromServer < TimeSpan.Zero ? TimeSpan.Zero : fromServer > max ? max : fromServer;
        }

        // 2^30 of any positive delay is beyond any sensible maximum, and keeps the multiplication finite.
        var factor = Math.Pow(2, Math.Min(attempt, 30));
        var ticks = initial.Ticks * factor;
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
