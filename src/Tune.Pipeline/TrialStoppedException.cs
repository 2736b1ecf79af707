namespace Tune.Pipeline;

/// <summary>
/// The exception thrown by <see cref="TrialContext.ThrowIfStopRequested"/> when early stopping asked the trial to
/// stop. The sweep records the trial as pruned, not failed.
/// </summary>
public sealed class TrialStoppedException : OperationCanceledException
{
    /// <summary>Initializes a new instance of the <see cref="TrialStoppedException"/> class.</summary>
    public TrialStoppedException()
        : base("Early stopping asked the trial to stop.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TrialStoppedException"/> class.</summary>
    /// <param name="message">The message.</param>
    public TrialStoppedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TrialStoppedException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TrialStoppedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
