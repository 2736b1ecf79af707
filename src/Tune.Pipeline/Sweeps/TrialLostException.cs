namespace Tune.Pipeline.Sweeps;

/// <summary>
/// The exception an <see cref="ITrialAgent"/> throws when the worker running a trial was lost: it stopped heartbeating,
/// or the trial left the queue without a result. <see cref="TrialOutcome.Classify"/> reads it as <see cref="TrialOutcomeKind.Lost"/>.
/// </summary>
public sealed class TrialLostException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="TrialLostException"/> class.</summary>
    public TrialLostException()
        : base("The agent running the trial was lost.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TrialLostException"/> class.</summary>
    /// <param name="message">Which agent was lost and how, naming the trial.</param>
    public TrialLostException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TrialLostException"/> class.</summary>
    /// <param name="message">Which agent was lost and how, naming the trial.</param>
    /// <param name="innerException">The cause.</param>
    public TrialLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
