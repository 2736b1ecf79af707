namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// Represents how an <see cref="MLflowForwarder"/> reads the outbox and reports trouble.
/// </summary>
public sealed class MLflowForwarderOptions
{
    /// <summary>Gets or sets how long <see cref="MLflowForwarder.RunAsync"/> waits between looks at a quiet outbox.</summary>
    /// <value>500 milliseconds by default.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets or sets how long <see cref="MLflowForwarder.RunAsync"/> waits before trying an unreachable server again.</summary>
    /// <value>5 seconds by default.</value>
    public TimeSpan OutageRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how long the store's forwarder slot stays claimed without renewal: a forwarder renews it with every
    /// read, and one whose process died frees it after this long.
    /// </summary>
    /// <value>30 seconds by default.</value>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many outbox messages one read takes.</summary>
    /// <value>500 by default.</value>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Gets or sets what is told, one sentence each, about a message MLflow refused for good (it is skipped, so that
    /// one bad value does not hold back the rest). Values cut to MLflow's limits are told by
    /// <see cref="MLflowClientOptions.Warning"/>.
    /// </summary>
    /// <value><see langword="null"/> (nothing told) by default.</value>
    public Action<string>? Warning { get; set; }

    /// <summary>
    /// Gets or sets what <see cref="MLflowForwarder.RunAsync"/> tells when the server cannot be reached: called once
    /// per outage with the reason, which never holds a credential.
    /// </summary>
    /// <value><see langword="null"/> by default.</value>
    public Action<MLflowException>? Unavailable { get; set; }
}
