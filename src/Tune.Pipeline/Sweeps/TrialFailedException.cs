namespace Tune.Pipeline.Sweeps;

/// <summary>
/// The exception an <see cref="ITrialAgent"/> throws for a failure that was already classified elsewhere (by an agent
/// process, through <see cref="TrialOutcome.Classify"/>): its message is the trial's error as recorded, and
/// <see cref="TrialOutcome.Classify"/> keeps it as is instead of prefixing this type's name.
/// </summary>
public sealed class TrialFailedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="TrialFailedException"/> class.</summary>
    public TrialFailedException()
        : base("The trial failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TrialFailedException"/> class.</summary>
    /// <param name="message">The trial's error, as recorded.</param>
    public TrialFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TrialFailedException"/> class.</summary>
    /// <param name="message">The trial's error, as recorded.</param>
    /// <param name="innerException">The cause.</param>
    public TrialFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
