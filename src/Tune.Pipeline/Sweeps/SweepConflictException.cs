namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Represents a store's refusal to open a sweep: it exists and was to be created, it does not exist and was to be
/// resumed, or it was created with another search space or goal. The message names the sweep and the store, and says
/// what to do.
/// </summary>
/// <remarks>
/// Stores throw it through <see cref="ThrowIfRefused"/>, so that every store refuses the same cases with the same words.
/// </remarks>
public sealed class SweepConflictException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SweepConflictException"/> class.</summary>
    public SweepConflictException()
        : this("The sweep cannot be opened in this store.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SweepConflictException"/> class with a message.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    public SweepConflictException(string message)
        : this(string.Empty, message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SweepConflictException"/> class with a message and its cause.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public SweepConflictException(string message, Exception? innerException)
        : base(message, innerException)
    {
        SweepName = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="SweepConflictException"/> class for a sweep.</summary>
    /// <param name="sweepName">The sweep's name.</param>
    /// <param name="message">What is wrong and what to do; it names the sweep and the store.</param>
    public SweepConflictException(string sweepName, string message)
        : base(message)
    {
        SweepName = sweepName;
    }

    /// <summary>Gets the name of the sweep that could not be opened.</summary>
    public string SweepName { get; }

    /// <summary>
    /// Checks a request to open <paramref name="sweep"/> against what a store records under its name, and throws when the
    /// store must refuse it. A store calls it inside the transaction that creates or resumes the sweep.
    /// </summary>
    /// <param name="sweep">The sweep to open; its <see cref="Sweep.OpenMode"/>, search space and goal are checked.</param>
    /// <param name="storeName">The store's name for the message: a path, or host, port and database; never a connection string.</param>
    /// <param name="recordedFingerprint">The search-space fingerprint the store records for the sweep, or <see langword="null"/> when it has no such sweep.</param>
    /// <param name="recordedGoal">The goal the store records for the sweep, or <see langword="null"/> when it has no such sweep or did not record one.</param>
    /// <exception cref="SweepConflictException">
    /// The sweep exists and <see cref="SweepOpenMode.Create"/> was asked; it does not exist and <see cref="SweepOpenMode.Resume"/> was asked;
    /// or it exists with another search-space fingerprint or goal.
    /// </exception>
    public static void ThrowIfRefused(Sweep sweep, string storeName, string? recordedFingerprint, Goal? recordedGoal)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(storeName);
        var name = sweep.Name;
        if (recordedFingerprint is null)
        {
            if (sweep.OpenMode == SweepOpenMode.Resume)
            {
                throw new SweepConflictException(name, $"Sweep '{name}' does not exist in {storeName}, so it cannot be resumed. Leave out --resume to start it.");
            }

            return;
        }

        if (sweep.OpenMode == SweepOpenMode.Create)
        {
            throw new SweepConflictException(name, $"Sweep '{name}' already exists in {storeName}. Pass --resume to continue it, or name a new one with --sweep.");
        }

        if (!string.Equals(recordedFingerprint, sweep.Space.Fingerprint, StringComparison.Ordinal))
        {
            throw new SweepConflictException(name,
                $"Sweep '{name}' in {storeName} was created with another search space (fingerprint {recordedFingerprint}, now {sweep.Space.Fingerprint}): the experiment's parameters or the space's overrides changed. Resume it with the space it had, or start a new sweep with --sweep.");
        }

        if (recordedGoal is { } goal && goal != sweep.Goal)
        {
            throw new SweepConflictException(name,
                $"Sweep '{name}' in {storeName} was created with goal {goal}, now {sweep.Goal}. Resume it with goal {goal}, or start a new sweep with --sweep.");
        }
    }
}
