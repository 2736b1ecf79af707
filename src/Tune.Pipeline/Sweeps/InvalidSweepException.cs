namespace Tune.Pipeline.Sweeps;

/// <summary>
/// The exception thrown by <see cref="SweepBuilder.Build"/> when a sweep's options are invalid. Its message lists
/// every problem, one sentence each.
/// </summary>
public sealed class InvalidSweepException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="InvalidSweepException"/> class.</summary>
    public InvalidSweepException()
        : this("The sweep is invalid.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidSweepException"/> class.</summary>
    /// <param name="message">The message.</param>
    public InvalidSweepException(string message)
        : base(message)
    {
        Problems = [message];
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidSweepException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidSweepException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidSweepException"/> class.</summary>
    /// <param name="sweepName">The sweep's name.</param>
    /// <param name="problems">Every problem found, one sentence each.</param>
    public InvalidSweepException(string sweepName, IReadOnlyList<string> problems)
        : base(Compose(sweepName, problems))
    {
        Problems = problems;
    }

    /// <summary>Gets every problem found, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Compose(string sweepName, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var noun = problems.Count == 1 ? "problem" : "problems";
        return $"Sweep '{sweepName}' has {problems.Count} {noun}:{Environment.NewLine}" +
            string.Join(Environment.NewLine, problems.Select(p => "  - " + p));
    }
}
