using System.Collections.Concurrent;

namespace Tune.Pipeline.Tracking.MLflow.Tests.TestDoubles;

/// <summary>
/// A clock fixed at one instant whose timers record their delay and fire at once, so retry backoff can be checked
/// without waiting; <see cref="OnDelay"/> runs before each timer fires (to bring a server back mid-backoff).
/// </summary>
public sealed class RecordingTimeProvider(DateTimeOffset now) : TimeProvider
{
    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    public Action? OnDelay { get; set; }

    public override DateTimeOffset GetUtcNow() => now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Delays.Enqueue(dueTime);
        OnDelay?.Invoke();
        return System.CreateTimer(callback, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
