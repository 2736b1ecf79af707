namespace Tune.Pipeline.Stopping;

/// <summary>
/// Never stops a trial.
/// </summary>
internal sealed class NoEarlyStoppingPolicy : IEarlyStoppingPolicy
{
    /// <summary>Gets the single instance.</summary>
    public static NoEarlyStoppingPolicy Instance { get; } = new();

    /// <summary>Describes the policy, as a sweep records it and <c>tune show</c> prints it.</summary>
    /// <returns>The type's name: it has no settings.</returns>
    public override string ToString() => nameof(NoEarlyStoppingPolicy);

    /// <inheritdoc/>
    public bool ShouldStop(EarlyStoppingContext context) => false;
}
