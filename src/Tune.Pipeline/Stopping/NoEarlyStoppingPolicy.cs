namespace Tune.Pipeline.Stopping;

/// <summary>
/// Never stops a trial.
/// </summary>
internal sealed class NoEarlyStoppingPolicy : IEarlyStoppingPolicy
{
    /// <summary>Gets the single instance.</summary>
    public static NoEarlyStoppingPolicy Instance { get; } = new();

    /// <inheritdoc/>
    public bool ShouldStop(EarlyStoppingContext context) => false;
}
