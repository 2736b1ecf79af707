namespace Tune.Pipeline.Sweeps;

/// <summary>
/// The exception thrown when every trial of a sweep failed, so there is no best trial. Its message says so and shows
/// the first failure's message, which is usually the bug to fix.
/// </summary>
/// <remarks>
/// Hyperopt ends such a sweep with "There are no evaluation tasks, cannot return argmin of task losses", which hides
/// the cause; this exception leads with it.
/// </remarks>
public sealed class SweepFailedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SweepFailedException"/> class.</summary>
    public SweepFailedException()
        : this("Every trial of the sweep failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SweepFailedException"/> class.</summary>
    /// <param name="message">The message.</param>
    public SweepFailedException(string message)
        : base(message)
    {
        Trials = [];
    }

    /// <summary>Initializes a new instance of the <see cref="SweepFailedException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SweepFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Trials = [];
    }

    /// <summary>Initializes a new instance of the <see cref="SweepFailedException"/> class.</summary>
    /// <param name="sweepName">The sweep's name.</param>
    /// <param name="trials">The sweep's trials, all failed.</param>
    public SweepFailedException(string sweepName, IReadOnlyList<Trial> trials)
        : base(Compose(sweepName, trials))
    {
        SweepName = sweepName;
        Trials = trials;
    }

    /// <summary>Gets the sweep's name.</summary>
    public string? SweepName { get; }

    /// <summary>Gets the sweep's trials, all failed.</summary>
    public IReadOnlyList<Trial> Trials { get; }

    /// <summary>Gets the first failed trial, by number.</summary>
    public Trial? FirstFailure => Trials.Count > 0 ? Trials[0] : null;

    private static string Compose(string sweepName, IReadOnlyList<Trial> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var first = trials.Count > 0 ? trials[0] : null;
        var count = trials.Count == 1 ? "its only trial" : $"all {trials.Count} of its trials";
        return $"Sweep '{sweepName}' has no result: {count} failed. The first failure, trial {first?.Number}: {first?.Error} Fix that error and run the sweep again.";
    }
}
